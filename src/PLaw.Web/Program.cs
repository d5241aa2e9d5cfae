using PLaw.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.UseApplicationPipeline();
app.Run();

public partial class Program;
