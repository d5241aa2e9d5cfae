namespace PLaw.Engine.Torch.Runtime;

/// <summary>
/// What <see cref="TorchRuntime.Probe"/> found. When libtorch did not load, <see cref="Problem"/> says why (the loader's own
/// words) and <see cref="Hint"/> what to do; every other field is then empty.
/// </summary>
/// <param name="Build">"cpu" or "cuda": which libtorch build sits beside the program (null when none does).</param>
/// <param name="Version">The libtorch version TorchSharp binds, e.g. "2.10.0".</param>
/// <param name="IntraOpThreads">torch.get_num_threads(): threads one operator uses.</param>
/// <param name="InterOpThreads">torch.get_num_interop_threads().</param>
/// <param name="CudaProblem">Why no CUDA device is usable, when none is.</param>
public sealed record TorchRuntimeInfo(
    bool Loaded,
    string? Problem,
    string? Hint,
    string? Build,
    string? Version,
    int? IntraOpThreads,
    int? InterOpThreads,
    bool CudaAvailable,
    IReadOnlyList<CudaDeviceInfo> CudaDevices,
    string? CudaProblem);

/// <summary>
/// One CUDA device as torch numbers it (cuda:N). TorchSharp 0.107 exposes only the count (no name, no memory):
/// <see cref="Name"/> and <see cref="TotalMemoryBytes"/> stay null until it does, and <see cref="TorchRuntime.DeviceDetailsMissing"/> says so.
/// </summary>
public sealed record CudaDeviceInfo(int Index, string? Name, long? TotalMemoryBytes)
{
    public string Device => $"cuda:{Index}";
}
