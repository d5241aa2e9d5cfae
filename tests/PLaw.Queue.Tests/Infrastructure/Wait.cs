namespace PLaw.Queue.Tests.Infrastructure;

/// <summary>Waiting on a condition (progress), never on elapsed time: the bound only turns a hang into a failure.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? bound = null, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? TimeSpan.FromMinutes(3));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}.\n{context?.Invoke()}");
            await Task.Delay(50);
        }
    }
}
