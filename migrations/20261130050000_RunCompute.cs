using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PLaw.Registry.Migrations
{
    /// <summary>What trained a run: its backend, device and compute line (the torch backend, issue #10). Older runs keep null.</summary>
    [DbContext(typeof(RegistryDbContext))]
    [Migration("20261130050000_RunCompute")]
    public partial class RunCompute : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Backend", table: "Runs", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "Device", table: "Runs", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "Compute", table: "Runs", type: "TEXT", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Backend", table: "Runs");
            migrationBuilder.DropColumn(name: "Device", table: "Runs");
            migrationBuilder.DropColumn(name: "Compute", table: "Runs");
        }
    }
}
