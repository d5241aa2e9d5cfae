namespace PLaw.Registry.Tests;

/// <summary>The dashboard's upload limit (issue #11 probe item 3: 2 GiB by default was too much for an anonymous upload).</summary>
public sealed class UploadLimitTests
{
    [Fact]
    public void UploadsAreLimitedTo512MiBUnlessConfigured()
    {
        Assert.Equal(512L * 1024 * 1024, new PLawOptions().MaxUploadBytes);
    }
}
