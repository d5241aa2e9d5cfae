using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PLaw.Registry.Migrations.Postgres
{
    /// <summary>
    /// Identity's key and phone-number columns at the lengths the dashboard's model gives them (AddPLawAccounts' Identity store:
    /// 128 for login and token keys, 256 for the phone number). PostgresRegistry was made from the model without the accounts
    /// services, so a dashboard on PostgreSQL refused to start ("pending model changes"). SQLite's columns are TEXT either way.
    /// </summary>
    public partial class PostgresIdentityLengths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(name: "PhoneNumber", table: "AspNetUsers", type: "character varying(256)", maxLength: 256,
                nullable: true, oldClrType: typeof(string), oldType: "text", oldNullable: true);
            migrationBuilder.AlterColumn<string>(name: "Name", table: "AspNetUserTokens", type: "character varying(128)", maxLength: 128,
                nullable: false, oldClrType: typeof(string), oldType: "text");
            migrationBuilder.AlterColumn<string>(name: "LoginProvider", table: "AspNetUserTokens", type: "character varying(128)", maxLength: 128,
                nullable: false, oldClrType: typeof(string), oldType: "text");
            migrationBuilder.AlterColumn<string>(name: "ProviderKey", table: "AspNetUserLogins", type: "character varying(128)", maxLength: 128,
                nullable: false, oldClrType: typeof(string), oldType: "text");
            migrationBuilder.AlterColumn<string>(name: "LoginProvider", table: "AspNetUserLogins", type: "character varying(128)", maxLength: 128,
                nullable: false, oldClrType: typeof(string), oldType: "text");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(name: "PhoneNumber", table: "AspNetUsers", type: "text", nullable: true,
                oldClrType: typeof(string), oldType: "character varying(256)", oldMaxLength: 256, oldNullable: true);
            migrationBuilder.AlterColumn<string>(name: "Name", table: "AspNetUserTokens", type: "text", nullable: false,
                oldClrType: typeof(string), oldType: "character varying(128)", oldMaxLength: 128);
            migrationBuilder.AlterColumn<string>(name: "LoginProvider", table: "AspNetUserTokens", type: "text", nullable: false,
                oldClrType: typeof(string), oldType: "character varying(128)", oldMaxLength: 128);
            migrationBuilder.AlterColumn<string>(name: "ProviderKey", table: "AspNetUserLogins", type: "text", nullable: false,
                oldClrType: typeof(string), oldType: "character varying(128)", oldMaxLength: 128);
            migrationBuilder.AlterColumn<string>(name: "LoginProvider", table: "AspNetUserLogins", type: "text", nullable: false,
                oldClrType: typeof(string), oldType: "character varying(128)", oldMaxLength: 128);
        }
    }
}
