using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PLaw.Registry.Migrations
{
    /// <summary>
    /// The workers that train runs (issue #15, the Workers page): each worker process's host, process, devices and backends, its
    /// heartbeat and lease (live, lost), and when it stopped. A run's holder is the worker with the run's WorkerId.
    /// </summary>
    [DbContext(typeof(RegistryDbContext))]
    [Migration("20261130100000_AddWorkers")]
    public partial class AddWorkers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Workers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProcessId = table.Column<int>(type: "INTEGER", nullable: false),
                    Program = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Devices = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Slots = table.Column<int>(type: "INTEGER", nullable: false),
                    Backends = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    HeartbeatUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LeaseExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StoppedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Workers", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "Workers");
        }
    }
}
