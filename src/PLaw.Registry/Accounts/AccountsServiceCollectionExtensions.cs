using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PLaw.Registry.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// Identity's user store in the registry (password at least 10 characters with no composition rules, NIST SP 800-63B
    /// §5.1.1.2; lockout after 5 failures for 5 minutes; unique user names), with the token, user and audit services.
    /// Needs <see cref="RegistryServiceCollectionExtensions.AddPLawRegistry"/>. The dashboard adds the sign-in manager itself.
    /// </summary>
    public static IdentityBuilder AddPLawAccounts(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<UserAccounts>();
        services.AddSingleton<AuditLog>();
        return services.AddIdentityCore<PLawUser>(options =>
            {
                options.Password.RequiredLength = 10;
                options.Password.RequiredUniqueChars = 1;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false;
                options.Stores.SchemaVersion = RegistryDbContext.IdentitySchema;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<RegistryDbContext>();
    }
}
