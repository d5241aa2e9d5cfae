using System.Globalization;

namespace PLaw.Engine.Training;

/// <summary>The values <see cref="RunOptions.Device"/> takes: <c>auto</c>, <c>cpu</c>, <c>cuda</c> (device 0) or <c>cuda:N</c>.</summary>
public static class DeviceNames
{
    public const string Auto = "auto", Cpu = "cpu", Cuda = "cuda";

    /// <summary>Whether <paramref name="device"/> is one of the accepted spellings (lower case, N a whole number ≥ 0).</summary>
    public static bool IsValid(string? device) => device is Auto or Cpu || CudaIndex(device) is not null;

    public static bool IsCuda(string? device) => CudaIndex(device) is not null;

    /// <summary>The device index of <c>cuda</c> (0) or <c>cuda:N</c> (N); null for anything else.</summary>
    public static int? CudaIndex(string? device)
    {
        if (device == Cuda) return 0;
        if (device is null || !device.StartsWith(Cuda + ":", StringComparison.Ordinal)) return null;
        var digits = device[(Cuda.Length + 1)..];
        return digits.Length is > 0 and <= 4 && digits.All(char.IsAsciiDigit) &&
               int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
