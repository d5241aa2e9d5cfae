using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PLaw.Registry.Migrations
{
    /// <summary>
    /// Leases and a concurrency token on runs (issue #15): the worker holding a run, its heartbeat and when its lease ends, and
    /// the row version every status change is conditional on. Runs left running by an older release have no lease, so the
    /// first worker to start re-queues them, as before.
    /// </summary>
    [DbContext(typeof(RegistryDbContext))]
    [Migration("20261130060000_RunLeases")]
    public partial class RunLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "WorkerId", table: "Runs", type: "TEXT", maxLength: 200, nullable: true);
            migrationBuilder.AddColumn<DateTime>(name: "HeartbeatUtc", table: "Runs", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<DateTime>(name: "LeaseExpiresUtc", table: "Runs", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Version", table: "Runs", type: "INTEGER", nullable: false, defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "WorkerId", table: "Runs");
            migrationBuilder.DropColumn(name: "HeartbeatUtc", table: "Runs");
            migrationBuilder.DropColumn(name: "LeaseExpiresUtc", table: "Runs");
            migrationBuilder.DropColumn(name: "Version", table: "Runs");
        }
    }
}
