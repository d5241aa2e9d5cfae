using PLaw.Web.Hosting;

// `PLaw.Web --healthcheck <url>`: the Docker HEALTHCHECK's probe; exits without starting a server.
if (HealthProbe.IsRequested(args)) return await HealthProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrlUnlessConfigured();
builder.AddApplicationServices();

var app = builder.Build();
await app.PrepareRegistryAsync();
app.UseApplicationPipeline();
app.AnnounceAddressesOnStart();
await app.RunAsync();
return 0;

public partial class Program;
