using PLaw.Engine.Training;

namespace PLaw.Engine.Challenges.Study;

/// <summary>
/// One finished run of a study with its challenge report, placed by model family and size.
/// <see cref="Size"/> is the run's non-embedding parameter count: the N of the scaling laws (Kaplan et al. 2020, and the
/// Laws page here), which leaves out the item-embedding table because its size is set by the catalogue, not by the model.
/// </summary>
public sealed record SizedReport(int RunId, string Name, string Family, long Size, int Layers, int Dim, ChallengeReport Report)
{
    /// <summary>A family as the papers spell it: SASRec, HSTU, LLaMA.</summary>
    public static string FamilyName(ModelFamily family) => family switch
    {
        ModelFamily.Sasrec => "SASRec",
        ModelFamily.Hstu => "HSTU",
        ModelFamily.Llama => "LLaMA",
        _ => family.ToString(),
    };
}
