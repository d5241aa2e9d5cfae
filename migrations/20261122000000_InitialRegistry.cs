using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PLaw.Registry;

#nullable disable

namespace PLaw.Registry.Migrations;

/// <summary>Datasets, their sequence blobs and their cached entropy tables.</summary>
[DbContext(typeof(RegistryDbContext))]
[Migration("20261122000000_InitialRegistry")]
public partial class InitialRegistry : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Datasets",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                Source = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                Format = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                OptionsJson = table.Column<string>(type: "TEXT", nullable: false),
                StatisticsJson = table.Column<string>(type: "TEXT", nullable: false),
                Users = table.Column<int>(type: "INTEGER", nullable: false),
                Items = table.Column<int>(type: "INTEGER", nullable: false),
                Interactions = table.Column<long>(type: "INTEGER", nullable: false),
                Checksum = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Datasets", x => x.Id));

        migrationBuilder.CreateTable(
            name: "DatasetSequences",
            columns: table => new
            {
                DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                Data = table.Column<byte[]>(type: "BLOB", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_DatasetSequences", x => x.DatasetId);
                table.ForeignKey("FK_DatasetSequences_Datasets_DatasetId", x => x.DatasetId, "Datasets", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "EntropyReports",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                MaxLen = table.Column<int>(type: "INTEGER", nullable: false),
                M = table.Column<int>(type: "INTEGER", nullable: false),
                R = table.Column<int>(type: "INTEGER", nullable: false),
                Variant = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                RowJson = table.Column<string>(type: "TEXT", nullable: false),
                ComputeMilliseconds = table.Column<double>(type: "REAL", nullable: false),
                CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_EntropyReports", x => x.Id);
                table.ForeignKey("FK_EntropyReports_Datasets_DatasetId", x => x.DatasetId, "Datasets", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_Datasets_Name", table: "Datasets", column: "Name", unique: true);
        migrationBuilder.CreateIndex(
            name: "IX_EntropyReports_DatasetId_MaxLen_M_R_Variant",
            table: "EntropyReports",
            columns: ["DatasetId", "MaxLen", "M", "R", "Variant"],
            unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "DatasetSequences");
        migrationBuilder.DropTable(name: "EntropyReports");
        migrationBuilder.DropTable(name: "Datasets");
    }
}
