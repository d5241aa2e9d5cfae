using PLaw.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace PLaw.Worker.Feed;

public static class RegistryFeedServiceCollectionExtensions
{
    /// <summary>
    /// The live feed from the registry (<see cref="RegistryFeed"/>) for a process that shows runs (the dashboard): needs
    /// <see cref="RegistryServiceCollectionExtensions.AddPLawRegistry(IServiceCollection, PLaw.Registry.Storage.RegistryConnection)"/>.
    /// </summary>
    public static IServiceCollection AddRegistryFeed(this IServiceCollection services, FeedSettings? settings = null)
    {
        services.AddSingleton(settings ?? new FeedSettings());
        services.AddSingleton<RegistryFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistryFeed>());
        return services;
    }
}
