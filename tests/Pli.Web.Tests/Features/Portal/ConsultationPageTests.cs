using System.Net;
using Pli.Domain.Consultations;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Portal;

public abstract class ConsultationPageTests(PliApp app)
{
    [Fact]
    public async Task Get_DemoConsultation_ShowsItsDetails()
    {
        var id = await ConsultationBuilder.IdOfAsync(app, "2026-TRV-0042");
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/consultations/{id}");

        var text = page.QuerySelector("main")!.TextContent;
        Assert.Contains("Reconstruction de l'échangeur de la Barasse", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Travaux de reconstruction de l'échangeur autoroutier", page.QuerySelector(".object")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Métropole Démo", page.QuerySelector(".buyer")!.TextContent.Trim());
        Assert.Equal("Direction de la commande publique", page.QuerySelector(".service")!.TextContent.Trim());
        Assert.Equal("Appel d'offres ouvert", page.QuerySelector(".procedure")!.TextContent.Trim());
        Assert.Equal("Travaux", page.QuerySelector(".nature")!.TextContent.Trim());
        Assert.Equal("45233120-6 — Travaux de construction de routes", page.QuerySelector(".cpv")!.TextContent.Trim());
        Assert.Equal("Marseille (13011)", page.QuerySelector(".place")!.TextContent.Trim());
        Assert.Contains("Lot n° 1 : Terrassements et chaussées", page.QuerySelector(".lots")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Lot n° 3 : Signalisation et équipements", page.QuerySelector(".lots")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("01/07/2026 12:00 (heure de Paris, UTC+02:00)", page.QuerySelector(".deadline")!.TextContent.Trim());
        Assert.Equal("24/06/2026 12:00 (heure de Paris, UTC+02:00)", page.QuerySelector(".question-deadline")!.TextContent.Trim());
        Assert.Contains(".pdf", page.QuerySelector(".formats")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Aucune modification publiée", text, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#date-limite-depassee"));
    }

    [Fact]
    public async Task Get_DemoConsultation_ListsTheDceTreeAndLinksToTheDownload()
    {
        var id = await ConsultationBuilder.IdOfAsync(app, "2026-TRV-0042");
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/consultations/{id}");

        var table = page.QuerySelector("table.dce-files")!;
        Assert.NotNull(table.QuerySelector("caption"));
        Assert.All(table.QuerySelectorAll("thead th"), th => Assert.Equal("col", th.GetAttribute("scope")));
        var paths = table.QuerySelectorAll("tbody .path").Select(p => p.TextContent.Trim()).ToList();
        Assert.Equal(["CCAP.pdf", "Pièces techniques/BPU.txt", "Pièces techniques/CCTP.pdf", "RC.pdf"], paths);
        Assert.Contains(table.QuerySelectorAll("tbody .format"), f => f.TextContent.Trim() == "PDF");
        Assert.Contains(table.QuerySelectorAll("tbody .size"), s => s.TextContent.Contains("octets", StringComparison.Ordinal));
        var download = page.QuerySelector("#telecharger-dce")!;
        Assert.Equal($"/consultations/{id}/dce", download.GetAttribute("href"));
        Assert.Equal("Télécharger le DCE", download.TextContent.Trim());
    }

    [Theory]
    [InlineData(1_258_291, "1,2 Mo")]
    [InlineData(350 * 1024, "350 ko")]
    [InlineData(999, "999 octets")]
    [InlineData(3L * 1024 * 1024 * 1024, "3 Go")]
    public async Task Get_Consultation_ShowsFileSizesInFrench(long size, string expected)
    {
        var consultation = await new ConsultationBuilder(app).File("Plans/Lot 1/plan.dwg", size).SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/consultations/{consultation.Id}");

        var row = page.QuerySelectorAll("table.dce-files tbody tr").Single();
        Assert.Equal("Plans/Lot 1/plan.dwg", row.QuerySelector(".path")!.TextContent.Trim());
        Assert.Equal(expected, row.QuerySelector(".size")!.TextContent.Trim());
        Assert.Equal("DWG", row.QuerySelector(".format")!.TextContent.Trim());
    }

    [Fact]
    public async Task Get_ConsultationWithModifications_ShowsTheHistoryNewestFirst()
    {
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        var now = app.Time.GetUtcNow().UtcDateTime;
        await app.WithDb(async db =>
        {
            db.ConsultationModifications.Add(new ConsultationModification(Guid.NewGuid(), consultation.Id, now.AddHours(1), "dce", "Ajout du plan de situation"));
            db.ConsultationModifications.Add(new ConsultationModification(Guid.NewGuid(), consultation.Id, now.AddHours(2), "deadline", "Report de la date limite"));
            await db.SaveChangesAsync();
        });
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/consultations/{consultation.Id}");

        var rows = page.QuerySelectorAll("table.modifications tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("Report de la date limite", rows[0], StringComparison.Ordinal);
        Assert.Contains("(heure de Paris, UTC+02:00)", rows[0], StringComparison.Ordinal);
        Assert.Contains("Ajout du plan de situation", rows[1], StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#aucune-modification"));
    }

    [Fact]
    public async Task Get_Draft_Is404()
    {
        var draft = await new ConsultationBuilder(app).Title("Brouillon secret").Draft().SaveAsync();
        using var browser = app.Browser();

        using var response = await browser.GetAsync($"/consultations/{draft.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Brouillon secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownId_Is404()
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync($"/consultations/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_ConsultationWithoutLots_SaysItIsNotAllotted()
    {
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/consultations/{consultation.Id}");

        Assert.Equal("Marché non alloti", page.QuerySelector(".lots")!.TextContent.Trim());
    }

    [Fact]
    public async Task Get_Consultation_EncodesTextTypedByTheBuyer()
    {
        var consultation = await new ConsultationBuilder(app).Title("<script>alert(1)</script>").SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/consultations/{consultation.Id}");

        Assert.Empty(page.QuerySelectorAll("main script"));
        Assert.Contains("<script>alert(1)</script>", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }
}

public sealed class ConsultationPageTestsOnSqlite(SqliteApp app) : ConsultationPageTests(app), IClassFixture<SqliteApp>;

public sealed class ConsultationPageTestsOnPostgres(PostgresApp app) : ConsultationPageTests(app), IClassFixture<PostgresApp>;
