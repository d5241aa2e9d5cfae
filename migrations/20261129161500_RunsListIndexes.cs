using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PLaw.Registry.Migrations
{
    /// <summary>
    /// Indexes for the runs list's server-side sort and filters: best runs first (test NDCG@10), by name, by model family. With
    /// 10,000 runs a sorted page then reads 25 index entries instead of sorting the table (EXPLAIN QUERY PLAN: SCAN USING INDEX).
    /// </summary>
    public partial class RunsListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Runs_Model",
                table: "Runs",
                column: "Model");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Name",
                table: "Runs",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_TestNdcg10",
                table: "Runs",
                column: "TestNdcg10");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_Model",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Runs_Name",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Runs_TestNdcg10",
                table: "Runs");
        }
    }
}
