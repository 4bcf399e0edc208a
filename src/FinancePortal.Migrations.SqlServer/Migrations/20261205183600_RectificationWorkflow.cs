using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FinancePortal.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class RectificationWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RectificationRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    AlertId = table.Column<long>(type: "bigint", nullable: true),
                    SupervisoryActionId = table.Column<long>(type: "bigint", nullable: true),
                    Text = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    DueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    State = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    RequestedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    AnsweredUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    AcceptedUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RectificationRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RectificationRequests_Alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "Alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RectificationRequests_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RectificationRequests_SupervisoryActions_SupervisoryActionId",
                        column: x => x.SupervisoryActionId,
                        principalTable: "SupervisoryActions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RectificationMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    RequestId = table.Column<long>(type: "bigint", nullable: false),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    ActorId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    FromPlatform = table.Column<bool>(type: "bit", nullable: false),
                    TimeUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RectificationMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RectificationMessages_RectificationRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "RectificationRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RectificationAttachments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    MessageId = table.Column<long>(type: "bigint", nullable: false),
                    RequestId = table.Column<long>(type: "bigint", nullable: false),
                    PlatformId = table.Column<int>(type: "int", nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RectificationAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RectificationAttachments_RectificationMessages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "RectificationMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RectificationAttachments_RectificationRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "RectificationRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RectificationAttachments_MessageId",
                table: "RectificationAttachments",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_RectificationAttachments_RequestId",
                table: "RectificationAttachments",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_RectificationMessages_RequestId_TimeUtc",
                table: "RectificationMessages",
                columns: new[] { "RequestId", "TimeUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_RectificationRequests_AlertId",
                table: "RectificationRequests",
                column: "AlertId");

            migrationBuilder.CreateIndex(
                name: "IX_RectificationRequests_PlatformId_State_DueDate",
                table: "RectificationRequests",
                columns: new[] { "PlatformId", "State", "DueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_RectificationRequests_SupervisoryActionId",
                table: "RectificationRequests",
                column: "SupervisoryActionId",
                unique: true,
                filter: "[SupervisoryActionId] IS NOT NULL");

            // Existing rectification requests (supervisory actions of that kind) become open requests with their first step.
            migrationBuilder.Sql("""
                INSERT INTO [RectificationRequests] ([PlatformId], [AlertId], [SupervisoryActionId], [Text], [DueDate], [State], [RequestedById], [RequestedByName], [CreatedUtc], [UpdatedUtc], [ConcurrencyStamp])
                SELECT [PlatformId], [AlertId], [Id], [Text], COALESCE([DueDate], CAST(DATEADD(day, 30, [CreatedUtc]) AS date)), N'Open', [ActorId], [ActorName], [CreatedUtc], [CreatedUtc], NEWID()
                FROM [SupervisoryActions] WHERE [Kind] = N'RectificationRequest';
                INSERT INTO [RectificationMessages] ([RequestId], [PlatformId], [Kind], [Text], [ActorId], [ActorName], [FromPlatform], [TimeUtc])
                SELECT [Id], [PlatformId], N'Requested', [Text], [RequestedById], [RequestedByName], CAST(0 AS bit), [CreatedUtc] FROM [RectificationRequests];
                """);

            // The thread of a request and its attachments are records: the database refuses changes too.
            foreach (var table in new[] { "RectificationMessages", "RectificationAttachments" })
            {
                migrationBuilder.Sql(
                    $"EXEC(N'CREATE TRIGGER [dbo].[TR_{table}_AppendOnly] ON [dbo].[{table}] INSTEAD OF UPDATE, DELETE AS " +
                    $"BEGIN SET NOCOUNT ON; THROW 51000, N''{table} is append-only.'', 1; END');");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "RectificationMessages", "RectificationAttachments" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS [dbo].[TR_{table}_AppendOnly];");
            }

            migrationBuilder.DropTable(
                name: "RectificationAttachments");

            migrationBuilder.DropTable(
                name: "RectificationMessages");

            migrationBuilder.DropTable(
                name: "RectificationRequests");
        }
    }
}
