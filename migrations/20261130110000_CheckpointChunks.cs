using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PLaw.Registry.Migrations
{
    /// <summary>
    /// Checkpoints in the registry (issue #15): a run's checkpoint as a header row (sequence 0: length, SHA-256, chunk count)
    /// and chunks of at most 1 MiB, so a run killed on one host resumes on another without a shared folder.
    /// </summary>
    [DbContext(typeof(RegistryDbContext))]
    [Migration("20261130110000_CheckpointChunks")]
    public partial class CheckpointChunks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CheckpointChunks",
                columns: table => new
                {
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Data = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: true),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Chunks = table.Column<int>(type: "INTEGER", nullable: true),
                    SavedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckpointChunks", x => new { x.RunId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_CheckpointChunks_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "CheckpointChunks");
        }
    }
}
