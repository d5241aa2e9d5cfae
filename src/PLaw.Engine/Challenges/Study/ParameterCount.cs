using System.Globalization;

namespace PLaw.Engine.Challenges.Study;

/// <summary>A parameter count as people say it: 840, 96K, 1.2M, 3.4B.</summary>
public static class ParameterCount
{
    public static string Format(long n) => n switch
    {
        >= 1_000_000_000 => (n / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (n / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (n / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };
}
