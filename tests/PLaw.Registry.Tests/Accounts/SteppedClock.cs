namespace PLaw.Registry.Tests.Accounts;

/// <summary>A clock the test moves by hand, so expiry is tested without waiting on the wall clock.</summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
