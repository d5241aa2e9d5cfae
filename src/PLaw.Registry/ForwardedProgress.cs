namespace PLaw.Registry;

/// <summary>Reports synchronously on the reporting thread, so reports arrive in the order they were made.</summary>
internal sealed class ForwardedProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
