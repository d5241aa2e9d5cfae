using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The access-matrix classes share one dashboard in sign-in mode (its accounts, tokens and browser contexts).</summary>
[CollectionDefinition(Name)]
public sealed class AccessMatrixCollection : ICollectionFixture<SignInServer>
{
    public const string Name = "access matrix";
}
