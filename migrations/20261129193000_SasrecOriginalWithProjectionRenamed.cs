using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PLaw.Registry.Migrations
{
    /// <summary>
    /// SASRec's <c>Original</c> variant became exactly Kang's layout (no attention output projection); the layout earlier runs
    /// and studies were trained and planned with is now <c>OriginalProj</c>. Data only: existing rows are renamed so that each
    /// still names the layout its numbers and checkpoints come from (a resume would otherwise refuse the checkpoint's
    /// parameter count). No schema change, so no target model.
    /// </summary>
    [DbContext(typeof(RegistryDbContext))]
    [Migration("20261129193000_SasrecOriginalWithProjectionRenamed")]
    public partial class SasrecOriginalWithProjectionRenamed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE Runs
                SET OptionsJson = json_set(OptionsJson, '$.variant', 'OriginalProj', '$.resolvedVariant', 'OriginalProj',
                                           '$.displayName', replace(json_extract(OptionsJson, '$.displayName'), '-original-', '-originalproj-')),
                    Name = replace(Name, '-original-', '-originalproj-')
                WHERE Model = 'sasrec' AND json_extract(OptionsJson, '$.variant') = 'Original';
                """);
            migrationBuilder.Sql("""
                UPDATE Studies
                SET GridJson = json_set(GridJson, '$.base.variant', 'OriginalProj', '$.base.resolvedVariant', 'OriginalProj')
                WHERE json_extract(GridJson, '$.base.variant') = 'Original';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE Runs
                SET OptionsJson = json_set(OptionsJson, '$.variant', 'Original', '$.resolvedVariant', 'Original',
                                           '$.displayName', replace(json_extract(OptionsJson, '$.displayName'), '-originalproj-', '-original-')),
                    Name = replace(Name, '-originalproj-', '-original-')
                WHERE Model = 'sasrec' AND json_extract(OptionsJson, '$.variant') = 'OriginalProj';
                """);
            migrationBuilder.Sql("""
                UPDATE Studies
                SET GridJson = json_set(GridJson, '$.base.variant', 'Original', '$.base.resolvedVariant', 'Original')
                WHERE json_extract(GridJson, '$.base.variant') = 'OriginalProj';
                """);
        }
    }
}
