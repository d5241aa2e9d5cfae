using System.Reflection;
using PLaw.Data.Import;
using PLaw.Data.Runtime;

namespace PLaw.Entropy.Tests;

/// <summary>
/// <c>plaw entropy</c> and <c>plaw import</c> compile the hot methods ahead of their first call from two lists: the lists
/// hold every type with such a method, so a new hot method is not left to compile on the critical path.
/// </summary>
public sealed class CompileAheadTests
{
    [Fact]
    public void TheImportersListHoldsEveryTypeWithAHotMethodInPLawData() =>
        Assert.Equal(TypesWithHotMethods(typeof(DatasetImporter).Assembly), Names(DatasetImporter.HotTypes));

    [Fact]
    public void TheTablesListHoldsEveryTypeWithAHotMethodInPLawEntropy() =>
        Assert.Equal(TypesWithHotMethods(typeof(EntropyTable).Assembly), Names(EntropyTable.HotTypes));

    [Fact]
    public void EveryListedHotMethodCompiles()
    {
        var methods = CompileAhead.HotMethods([.. DatasetImporter.HotTypes, .. EntropyTable.HotTypes]).ToList();
        Assert.True(methods.Count >= 20, $"only {methods.Count} hot methods found");
        CompileAhead.Methods([.. DatasetImporter.HotTypes, .. EntropyTable.HotTypes]);
    }

    private static string[] TypesWithHotMethods(Assembly assembly) =>
        Names(assembly.GetTypes().Where(t => CompileAhead.HotMethods([t]).Any()));

    private static string[] Names(IEnumerable<Type> types) => types.Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();
}
