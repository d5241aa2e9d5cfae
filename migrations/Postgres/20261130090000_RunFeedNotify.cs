using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PLaw.Registry.Migrations.Postgres
{
    /// <summary>
    /// The live feed's notifications (issue #15, PLaw.Registry.Feed): triggers that NOTIFY channel plaw_feed whenever metric
    /// points are inserted (once per statement, naming its runs), a run's log gets a line, or a run is queued or changed. Every
    /// writer (any worker, the CLI, a dashboard) notifies without knowing, and every dashboard LISTENing streams it; a notify
    /// is sent at commit, so a listener that reads on it sees the rows. No model change: the target model is PostgresRegistry's.
    /// </summary>
    public partial class RunFeedNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A payload holds at most 8000 bytes: a statement inserting points of more runs than fit says "p:*" (read every run).
            migrationBuilder.Sql("""
                CREATE FUNCTION plaw_feed_points() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE runs text;
                BEGIN
                    SELECT string_agg(DISTINCT "RunId"::text, ',') INTO runs FROM inserted;
                    IF runs IS NOT NULL THEN
                        PERFORM pg_notify('plaw_feed', 'p:' || CASE WHEN length(runs) > 7000 THEN '*' ELSE runs END);
                    END IF;
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "MetricPoints_Feed" AFTER INSERT ON "MetricPoints"
                    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION plaw_feed_points();
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION plaw_feed_events() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('plaw_feed', 'e:' || NEW."RunId");
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "RunEvents_Feed" AFTER INSERT ON "RunEvents" FOR EACH ROW EXECUTE FUNCTION plaw_feed_events();
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION plaw_feed_runs() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('plaw_feed', 'r:' || NEW."Id");
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Runs_Feed" AFTER INSERT OR UPDATE ON "Runs" FOR EACH ROW EXECUTE FUNCTION plaw_feed_runs();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Runs_Feed" ON "Runs";""");
            migrationBuilder.Sql("DROP FUNCTION plaw_feed_runs();");
            migrationBuilder.Sql("""DROP TRIGGER "RunEvents_Feed" ON "RunEvents";""");
            migrationBuilder.Sql("DROP FUNCTION plaw_feed_events();");
            migrationBuilder.Sql("""DROP TRIGGER "MetricPoints_Feed" ON "MetricPoints";""");
            migrationBuilder.Sql("DROP FUNCTION plaw_feed_points();");
        }
    }
}
