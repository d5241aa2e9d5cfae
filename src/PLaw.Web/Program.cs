using PLaw.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
await app.PrepareRegistryAsync();
app.UseApplicationPipeline();
app.Run();

public partial class Program;
