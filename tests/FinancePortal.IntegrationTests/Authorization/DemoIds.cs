using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Rectifications;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Authorization;

/// <summary>
/// Real entities of one demo platform, for the probes of the matrix (JDBT: every national role and operator@ may see
/// them) and of the IDOR tests (HBXY: operator@ may not). The few entities the demo data lacks (a document, a
/// generated report) are made through the portal's own services.
/// </summary>
public sealed record DemoIds(
    string PlatformCode,
    string LegalName,
    int Platform,
    int Application,
    int DecidedApplication,
    long Document,
    long Submission,
    long? Alert,
    int Scorecard,
    long? Report,
    long? Rectification = null,
    long? RectificationAttachment = null)
{
    public string Resolve(string probe) => new StringBuilder(probe)
        .Replace("{platform}", Platform.ToString())
        .Replace("{application}", Application.ToString())
        .Replace("{decidedApplication}", DecidedApplication.ToString())
        .Replace("{document}", Document.ToString())
        .Replace("{submission}", Submission.ToString())
        .Replace("{alert}", (Alert ?? throw new InvalidOperationException($"{PlatformCode} has no alert.")).ToString())
        .Replace("{scorecard}", Scorecard.ToString())
        .Replace("{report}", (Report ?? throw new InvalidOperationException("No report was generated.")).ToString())
        .Replace("{rectification}", (Rectification ?? throw new InvalidOperationException("No rectification request was made.")).ToString())
        .Replace("{rectificationAttachment}", (RectificationAttachment ?? throw new InvalidOperationException("No rectification reply was made.")).ToString())
        .ToString();

    /// <summary>
    /// Reads the ids of <paramref name="code"/>'s entities; adds a PDF document to its newest application, and when
    /// <paramref name="reportBy"/> is given, has that user generate a supervision report of the platform. When
    /// <paramref name="operatorEmail"/> is given, the national risk officer asks the platform for a rectification and
    /// that operator answers it with a PDF (the request and the attachment become probes).
    /// </summary>
    public static async Task<DemoIds> ArrangeAsync(PortalAppFactory factory, string code, string? alertPlatformCode = null, string? reportBy = null, string? operatorEmail = null)
    {
        var ids = await ArrangeEntitiesAsync(factory, code, alertPlatformCode, reportBy);
        return operatorEmail is null ? ids : await WithRectificationAsync(factory, ids, operatorEmail);
    }

    private static async Task<DemoIds> WithRectificationAsync(PortalAppFactory factory, DemoIds ids, string operatorEmail)
    {
        await using (var risk = await factory.ActAsAsync(DemoUsers.RiskOfficer))
        {
            await risk.ServiceProvider.GetRequiredService<AlertService>().RecordActionAsync(
                new NewSupervisoryAction(ids.Platform, null, SupervisoryActionKind.RectificationRequest, $"Explain the {ids.PlatformCode} collection staffing.", new DateOnly(2027, 1, 31)));
        }

        await using var platform = await factory.ActAsAsync(operatorEmail);
        var rectifications = platform.ServiceProvider.GetRequiredService<RectificationService>();
        var page = await rectifications.GetPageAsync(new RectificationQuery { PlatformId = ids.Platform, PageSize = 100 });
        var request = page.Items.Where(r => r.PlatformId == ids.Platform).MaxBy(r => r.Id)!;
        var detail = await rectifications.GetAsync(request.Id);
        await rectifications.ReplyAsync(request.Id, detail.ConcurrencyStamp, "Staffing plan attached.", [new RectificationFile("staffing.pdf", new MemoryStream(Pdf))]);
        var attachment = (await rectifications.GetAsync(request.Id)).Thread.SelectMany(m => m.Attachments).Single();
        return ids with { Rectification = request.Id, RectificationAttachment = attachment.Id };
    }

    private static async Task<DemoIds> ArrangeEntitiesAsync(PortalAppFactory factory, string code, string? alertPlatformCode, string? reportBy)
    {
        int platform, application, decided, scorecard;
        long submission;
        long? alert;
        string legalName, period;
        await using (var scope = factory.Services.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System))
        {
            var p = await db.Platforms.Where(x => x.Code == code).Select(x => new { x.Id, x.LegalName }).SingleAsync();
            platform = p.Id;
            legalName = p.LegalName;
            application = await db.AccessApplications.Where(a => a.PlatformId == platform).OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync();
            decided = await db.AccessApplications.Where(a => a.PlatformId == platform && a.DecisionReasons != null).OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync();
            submission = await db.LoanSubmissions.Where(s => s.PlatformId == platform && s.Status == SubmissionStatus.Signed).OrderByDescending(s => s.Id).Select(s => s.Id).FirstAsync();
            var alertPlatform = alertPlatformCode ?? code;
            alert = await db.Alerts.Where(a => a.Platform!.Code == alertPlatform).OrderBy(a => a.Id).Select(a => (long?)a.Id).FirstOrDefaultAsync();
            scorecard = await db.ScorecardVersions.Where(s => s.Status == ScorecardStatus.Active).Select(s => s.Id).SingleAsync();
            period = await db.MonthlyAggregates.Where(a => a.PlatformId == platform).MaxAsync(a => a.Period);

            // A document on the platform's newest application (a small builder: documents are only uploaded to drafts).
            var document = new ApplicationDocument
            {
                ApplicationId = application,
                PlatformId = platform,
                FileName = $"{code.ToLowerInvariant()}-business-plan.pdf",
                ContentType = "application/pdf",
                SizeBytes = Pdf.Length,
                Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf)),
                UploadedBy = "system",
                UploadedUtc = db.UtcNow,
                Content = new DocumentContent { PlatformId = platform, Bytes = Pdf },
            };
            db.ApplicationDocuments.Add(document);
            await db.SaveChangesAsync();
            var documentId = document.Id;
            return await WithReportAsync(factory, reportBy, period,
                new DemoIds(code, legalName, platform, application, decided, documentId, submission, alert, scorecard, null));
        }
    }

    private static async Task<DemoIds> WithReportAsync(PortalAppFactory factory, string? reportBy, string period, DemoIds ids)
    {
        if (reportBy is null)
        {
            return ids;
        }

        await using var scope = await factory.ActAsAsync(reportBy);
        var report = await scope.ServiceProvider.GetRequiredService<ReportService>().GenerateAsync(new ReportRequest(period, [ids.Platform]));
        return ids with { Report = report.Id };
    }

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
}
