using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PLaw.Registry.Migrations
{
    /// <summary>
    /// Entropy sweeps: one row per sweep tying its synthetic datasets and their studies together (members as JSON, since the
    /// datasets and studies are ordinary rows; deleting one leaves the sweep, whose analysis then leaves it out).
    /// </summary>
    [DbContext(typeof(RegistryDbContext))]
    [Migration("20261130010000_EntropySweeps")]
    public partial class EntropySweeps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EntropySweeps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestJson = table.Column<string>(type: "TEXT", nullable: false),
                    MembersJson = table.Column<string>(type: "TEXT", nullable: false),
                    Phase = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntropySweeps", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EntropySweeps_Name",
                table: "EntropySweeps",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EntropySweeps");
        }
    }
}
