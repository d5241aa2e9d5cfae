namespace PLaw.Registry.Runs;

/// <summary>
/// A worker that holds runs under leases: its id (unique per worker instance, so two workers in one process never pass for
/// each other), the host it runs on, and how long a lease lasts without a heartbeat. A run held by a worker whose lease has
/// expired (the worker was killed, its machine lost power or the network) is re-queued by any other worker; one whose lease is
/// live is left alone, whoever looks.
/// </summary>
public sealed record RunHolder(string WorkerId, string Host, TimeSpan Lease)
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(30);

    /// <summary>The worker renews its leases this often: a third of the lease, so two heartbeats can be late before it expires.</summary>
    public TimeSpan HeartbeatInterval => Lease / 3;

    /// <summary>A new worker of this process: host "machine/pid", id "machine/pid/8 hex digits".</summary>
    public static RunHolder ForThisProcess(TimeSpan lease)
    {
        var host = $"{Environment.MachineName}/{Environment.ProcessId}";
        return new RunHolder($"{host}/{Guid.NewGuid().ToString("N")[..8]}", host, lease);
    }
}
