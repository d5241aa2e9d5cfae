using PLaw.Worker.Feed;
using PLaw.Web.Accounts;
using PLaw.Web.Hosting;

// `PLaw.Web --healthcheck <url>`: the Docker HEALTHCHECK's probe; exits without starting a server.
if (HealthProbe.IsRequested(args)) return await HealthProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrlUnlessConfigured();
// Local (loopback only, no sign-in) or SignIn, from where it listens: refused before anything starts when unsafe.
var (auth, refusal) = DashboardAuth.Decide(builder.Configuration);
if (auth is null) return Refuse(refusal!);
builder.AddApplicationServices();
// Runs trained by other processes (plaw worker, other dashboards) stream here too: LISTEN/NOTIFY on PostgreSQL, a poll on SQLite.
builder.Services.AddRegistryFeed();
builder.AddDashboardAuthentication(auth);

var app = builder.Build();
await app.PrepareRegistryAsync();
if (await app.PrepareAccountsAsync() is { } noAdmin) return Refuse(noAdmin);
app.UseApplicationPipeline();
app.AnnounceAddressesOnStart();
app.RefuseLocalModeOnOpenAddresses();
await app.RunAsync();
return Environment.ExitCode;

static int Refuse(string reason)
{
    Console.Error.WriteLine($"PLawDashboard did not start: {reason}");
    return 1;
}

public partial class Program;
