using PLaw.Engine.Training;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Tests.Runs;

public sealed class GridListsTests
{
    [Fact]
    public void ListsParseDistinctValuesSeparatedByCommasOrSpaces()
    {
        Assert.Equal([2, 4, 8], GridLists.Ints("2, 4 8,4", "--layers-grid"));
        Assert.Equal([ModelFamily.Sasrec, ModelFamily.Llama], GridLists.Enums<ModelFamily>("sasrec,LLAMA", "--models"));
        Assert.Empty(GridLists.Ints("", "--dims"));
    }

    [Fact]
    public void ABadEntryNamesTheFlagAndTheEntry()
    {
        Assert.Equal("--dims: '0' is not a positive whole number.", Assert.Throws<ArgumentException>(() => GridLists.Ints("16,0", "--dims")).Message);
        Assert.StartsWith("--models: 'gpt' is not one of sasrec, hstu, llama",
            Assert.Throws<ArgumentException>(() => GridLists.Enums<ModelFamily>("gpt", "--models")).Message);
    }
}
