namespace PLaw.Registry.Studies;

/// <summary>A named grid over model family × layers × width × max length × precision × seed on one dataset, expanded into runs.</summary>
public sealed class StudyRecord
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int DatasetId { get; set; }
    /// <summary>The <see cref="StudyGrid"/> as JSON.</summary>
    public required string GridJson { get; set; }
    public DateTime CreatedUtc { get; set; }
    public string Tags { get; set; } = "";
    public string? Note { get; set; }
}
