using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Tests.Features.Shared;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Deposits;

/// <summary>The deposit through its API, every rule at the deadline instant and one millisecond after, on the fake clock.</summary>
public abstract class DepositApiTests(PliApp app)
{
    private readonly DepositScenario _scenario = new(app);

    [Fact]
    public async Task Start_ReturnsADraftWithTheMetadataOfEachEnvelope()
    {
        var consultation = await _scenario.ConsultationAsync(null, "Voirie", "Éclairage");
        using var client = await _scenario.ClientAsync();

        var deposit = await DepositScenario.StartAsync(client, consultation.Id, new { mode = "Solo", candidatureType = "Standard", lots = new[] { 2 } });

        Assert.Equal("Draft", deposit.GetProperty("status").GetString());
        Assert.Matches("^D-\\d{8}-[0-9A-Z]{6}$", deposit.GetProperty("number").GetString());
        var envelopes = deposit.GetProperty("envelopes").EnumerateArray().ToList();
        Assert.Equal(2, envelopes.Count);
        Assert.Equal("candidature", envelopes[0].GetProperty("uploadMetadata").GetProperty("envelope").GetString());
        Assert.Equal("2", envelopes[1].GetProperty("uploadMetadata").GetProperty("lot").GetString());
    }

    [Fact]
    public async Task Start_WhenTheCompanyHasADraft_Returns409WithThatDraft()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var client = await _scenario.ClientAsync();
        var first = await DepositScenario.StartAsync(client, consultation.Id);

        using var second = await client.PostAsJsonAsync($"/api/consultations/{consultation.Id}/deposits", new { mode = "Solo", candidatureType = "Standard" });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(DepositScenario.IdOf(first), DepositScenario.IdOf(await second.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task Start_AtTheDeadlineInstant_IsAllowed_AndOneMillisecondLater_IsRefused()
    {
        var onTime = await _scenario.ConsultationAsync(TimeSpan.FromHours(1));
        var late = await _scenario.ConsultationAsync(TimeSpan.FromHours(1).Add(TimeSpan.FromMilliseconds(-1)));
        using var client = await _scenario.ClientAsync();
        app.Time.Advance(TimeSpan.FromHours(1));

        using var refused = await client.PostAsJsonAsync($"/api/consultations/{late.Id}/deposits", new { mode = "Solo", candidatureType = "Standard" });
        await DepositScenario.StartAsync(client, onTime.Id);

        Assert.Equal("deposit.deadline-passed", await DepositScenario.CodeOfAsync(refused));
        Assert.False(await app.WithDb(db => db.Deposits.AnyAsync(d => d.ConsultationId == late.Id)));
    }

    [Fact]
    public async Task Seal_WithFilesInEachEnvelope_ReturnsTheReceiptTimedToTheMillisecond()
    {
        var consultation = await _scenario.ConsultationAsync(null, "Voirie");
        using var client = await _scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id, new { mode = "Solo", candidatureType = "Standard", lots = new[] { 1 } }));
        var offer = DepositScenario.PdfOfSize(150_000);
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre technique.pdf", offer, lot: 1);
        app.Time.Advance(TimeSpan.FromMilliseconds(1234));
        var expected = app.Time.GetUtcNow();

        using var response = await DepositScenario.SealAsync(client, deposit);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expected, receipt.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.False(receipt.GetProperty("late").GetBoolean());
        Assert.True(receipt.GetProperty("timeStamped").GetBoolean());
        var files = receipt.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        var offerFile = files.Single(f => f.GetProperty("envelope").GetString() == "offre");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(offer)), offerFile.GetProperty("sha256").GetString());
        Assert.Equal(offer.Length, offerFile.GetProperty("size").GetInt64());
        Assert.Equal("Sealed", (await GetAsync(client, deposit)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Seal_ByAPersonReadingInEnglish_SendsTheReceiptMailInEnglish()
    {
        var email = await _scenario.OtherCompanyUserAsync();
        await app.SetLanguageAsync(email, "en");
        var consultation = await _scenario.ConsultationAsync();
        using var client = await _scenario.ClientAsync(email);
        var deposit = await ReadyDepositAsync(client, consultation.Id);

        using var sealing = await DepositScenario.SealAsync(client, deposit);

        Assert.Equal(HttpStatusCode.OK, sealing.StatusCode);
        var mail = Assert.Single(app.MailsTo(email));
        Assert.StartsWith("Receipt of your tender no. ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("(Paris time, UTC+0", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("heure de Paris", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seal_SendsTheReceiptByMail_WithThePdfAndNoFileContent()
    {
        var (client, deposit, number) = await SealedDepositAsync();

        var mail = Assert.Single(app.MailsTo(Pli.Web.Features.Demo.DemoData.CompanyEmail), m => m.Subject?.Contains(number, StringComparison.Ordinal) == true);
        var attachment = Assert.Single(mail.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        using var pdf = new MemoryStream();
        await attachment.Content!.DecodeToAsync(pdf);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf.ToArray(), 0, 4));
        Assert.Contains("Accusé de réception", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("offre de test", mail.TextBody, StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task Receipt_JsonAndToken_VerifyWithOpensslOutsidePli()
    {
        var (client, deposit, _) = await SealedDepositAsync();
        var folder = Directory.CreateTempSubdirectory("pli-receipt-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "recepisse.json"), await client.GetByteArrayAsync($"/api/deposits/{deposit}/receipt.json"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "recepisse.tsr"), await client.GetByteArrayAsync($"/api/deposits/{deposit}/receipt.tsr"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "tsa.pem"), await client.GetByteArrayAsync("/api/timestamping/certificate.pem"));

        var (exit, output) = await RunAsync("openssl", $"ts -verify -data recepisse.json -in recepisse.tsr -CAfile tsa.pem", folder);
        await File.AppendAllTextAsync(Path.Combine(folder, "recepisse.json"), " ");
        var (tamperedExit, _) = await RunAsync("openssl", $"ts -verify -data recepisse.json -in recepisse.tsr -CAfile tsa.pem", folder);

        Assert.True(exit == 0, output);
        Assert.Contains("Verification: OK", output, StringComparison.Ordinal);
        Assert.NotEqual(0, tamperedExit);
        client.Dispose();
    }

    [Fact]
    public async Task Receipt_Pdf_IsAPdfForTheOwnerAnd404ForAnotherCompany()
    {
        var (client, deposit, _) = await SealedDepositAsync();
        using var other = await _scenario.ClientAsync(await _scenario.OtherCompanyUserAsync());

        using var mine = await client.GetAsync($"/api/deposits/{deposit}/receipt.pdf");
        using var theirs = await other.GetAsync($"/api/deposits/{deposit}/receipt.pdf");
        using var theirsJson = await other.GetAsync($"/api/deposits/{deposit}");

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("application/pdf", mine.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await mine.Content.ReadAsByteArrayAsync())[..4]));
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, theirsJson.StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task Seal_AtTheDeadlineInstant_IsOnTime()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(1));
        using var client = await _scenario.ClientAsync();
        var deposit = await ReadyDepositAsync(client, consultation.Id);
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc));

        using var response = await DepositScenario.SealAsync(client, deposit);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("late").GetBoolean());
    }

    [Fact]
    public async Task Seal_OneMillisecondAfterTheDeadline_WithAllFilesReceivedBefore_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(1));
        using var client = await _scenario.ClientAsync();
        var deposit = await ReadyDepositAsync(client, consultation.Id);
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddMilliseconds(1));

        using var response = await DepositScenario.SealAsync(client, deposit);

        Assert.Equal("deposit.deadline-passed", await DepositScenario.CodeOfAsync(response));
        Assert.Equal("Draft", (await GetAsync(client, deposit)).GetProperty("status").GetString());
        Assert.Equal(0, await app.WithDb(db => db.DepositReceipts.CountAsync(r => r.DepositId == deposit)));
    }

    [Fact]
    public async Task Seal_AfterAnUploadStartedBeforeTheDeadlineFinishesAfterIt_IsRecordedLateAndSaidPlainly()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(1));
        using var client = await _scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        var offer = DepositScenario.PdfOfSize(100_000);
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc));
        var url = await Pli.Web.Tests.Features.Uploads.Tus.CreateAsync(client, offer.Length, DepositScenario.Metadata(deposit, "offre", "Offre.pdf"));
        using (var first = await client.SendAsync(Pli.Web.Tests.Features.Uploads.Tus.Patch(url, 0, offer[..50_000])))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }
        app.Time.Advance(TimeSpan.FromMilliseconds(1));
        using (var rest = await client.SendAsync(Pli.Web.Tests.Features.Uploads.Tus.Patch(url, 50_000, offer[50_000..])))
        {
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        }

        using var response = await DepositScenario.SealAsync(client, deposit);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(receipt.GetProperty("late").GetBoolean());
        Assert.Contains(app.MailsTo(Pli.Web.Features.Demo.DemoData.CompanyEmail), m => m.Subject?.Contains("HORS DÉLAI", StringComparison.Ordinal) == true && m.Subject.Contains(receipt.GetProperty("number").GetString()!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upload_AfterTheDeadline_IsRefusedAndNothingIsStored()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(1));
        using var client = await _scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id));
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddMilliseconds(1));
        var before = UploadFiles();

        using var response = await DepositScenario.UploadAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);

        Assert.Equal("deposit.upload-after-deadline", await DepositScenario.CodeOfAsync(response));
        Assert.Equal(before, UploadFiles());
    }

    [Theory]
    [InlineData("virus.exe", "deposit.format-refused")]
    [InlineData("../../etc/passwd.pdf", "file.name.forbidden")]
    [InlineData("nul\0.pdf", "file.name.control")]
    [InlineData("CON.pdf", "file.name.reserved")]
    public async Task Upload_WithABadName_IsRefusedWithItsRuleAndNothingIsStored(string name, string code)
    {
        var (client, deposit) = await DraftAsync();
        var before = UploadFiles();

        using var response = await DepositScenario.UploadAsync(client, deposit, "candidature", name, DepositScenario.Pdf);

        Assert.Equal(code, await DepositScenario.CodeOfAsync(response));
        Assert.Equal(before, UploadFiles());
        client.Dispose();
    }

    [Fact]
    public async Task Upload_OfAnExecutableNamedPdf_IsRefusedByItsContentAndNothingIsKept()
    {
        var (client, deposit) = await DraftAsync();
        var before = UploadFiles();
        var executable = new byte[4096];
        "MZ"u8.CopyTo(executable);

        using var response = await DepositScenario.UploadAsync(client, deposit, "candidature", "offre.pdf", executable);

        Assert.Equal("file.content-mismatch", await DepositScenario.CodeOfAsync(response));
        Assert.Equal(before, UploadFiles());
        Assert.Empty((await GetAsync(client, deposit)).GetProperty("files").EnumerateArray());
        client.Dispose();
    }

    [Fact]
    public async Task Upload_OfAnEmptyFile_IsRefused()
    {
        var (client, deposit) = await DraftAsync();

        using var response = await DepositScenario.UploadAsync(client, deposit, "candidature", "vide.pdf", []);

        Assert.Equal("file.empty", await DepositScenario.CodeOfAsync(response));
        client.Dispose();
    }

    [Fact]
    public async Task Upload_OverTheFileLimit_IsRefused_AndAtTheLimit_IsTaken()
    {
        var (client, deposit) = await DraftAsync();

        using var over = await DepositScenario.UploadAsync(client, deposit, "candidature", "gros.pdf", DepositScenario.PdfOfSize((int)DepositSettings.MaxFileSize + 1));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "juste.pdf", DepositScenario.PdfOfSize((int)DepositSettings.MaxFileSize));

        Assert.Equal("deposit.file-too-large", await DepositScenario.CodeOfAsync(over));
        Assert.Single((await GetAsync(client, deposit)).GetProperty("files").EnumerateArray());
        client.Dispose();
    }

    [Fact]
    public async Task Upload_OverTheDepositLimit_IsRefused()
    {
        var (client, deposit) = await DraftAsync();
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "a.pdf", DepositScenario.PdfOfSize((int)DepositSettings.MaxFileSize));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "b.pdf", DepositScenario.PdfOfSize((int)DepositSettings.MaxFileSize));

        using var response = await DepositScenario.UploadAsync(client, deposit, "offre", "c.pdf", DepositScenario.PdfOfSize((int)DepositSettings.MaxFileSize));

        Assert.Equal("deposit.too-large", await DepositScenario.CodeOfAsync(response));
        client.Dispose();
    }

    [Fact]
    public async Task Upload_ToTheOfferOfALotNotChosen_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync(null, "Voirie", "Éclairage");
        using var client = await _scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id, new { mode = "Solo", candidatureType = "Standard", lots = new[] { 1 } }));

        using var response = await DepositScenario.UploadAsync(client, deposit, "offre", "Offre.pdf", DepositScenario.Pdf, lot: 2);

        Assert.Equal("deposit.envelope-unknown", await DepositScenario.CodeOfAsync(response));
    }

    [Fact]
    public async Task Upload_ToAnotherCompanysDeposit_IsRefusedAsUnknown()
    {
        var (client, deposit) = await DraftAsync();
        using var other = await _scenario.ClientAsync(await _scenario.OtherCompanyUserAsync());

        using var response = await DepositScenario.UploadAsync(other, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);

        Assert.Equal("deposit.unknown", await DepositScenario.CodeOfAsync(response));
        Assert.Empty((await GetAsync(client, deposit)).GetProperty("files").EnumerateArray());
        client.Dispose();
    }

    [Theory]
    [InlineData(false, true, "deposit.terms-not-accepted")]
    [InlineData(true, false, "deposit.no-candidature")]
    public async Task Seal_WithoutTermsOrWithoutCandidature_IsRefused(bool acceptTerms, bool withCandidature, string code)
    {
        var (client, deposit) = await DraftAsync();
        if (withCandidature)
        {
            await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        }
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre.pdf", DepositScenario.Pdf);

        using var response = await DepositScenario.SealAsync(client, deposit, acceptTerms);

        Assert.Equal(code, await DepositScenario.CodeOfAsync(response));
        Assert.Equal("Draft", (await GetAsync(client, deposit)).GetProperty("status").GetString());
        client.Dispose();
    }

    [Fact]
    public async Task Seal_Twice_IsRefusedAndKeepsOneReceipt()
    {
        var (client, deposit, _) = await SealedDepositAsync();

        using var again = await DepositScenario.SealAsync(client, deposit);

        Assert.Equal("deposit.already-sealed", await DepositScenario.CodeOfAsync(again));
        Assert.Equal(1, await app.WithDb(db => db.DepositReceipts.CountAsync(r => r.DepositId == deposit)));
        client.Dispose();
    }

    [Fact]
    public async Task Upload_ToASealedDeposit_IsRefused()
    {
        var (client, deposit, _) = await SealedDepositAsync();

        using var response = await DepositScenario.UploadAsync(client, deposit, "candidature", "Oubli.pdf", DepositScenario.Pdf);

        Assert.Equal("deposit.already-sealed", await DepositScenario.CodeOfAsync(response));
        client.Dispose();
    }

    [Fact]
    public async Task SealedFile_AtRest_HoldsNoPlaintext_AndOpensOnlyAfterTheDeadlineToTheSameDigest()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(2));
        using var client = await _scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id));
        var offer = DepositScenario.PdfOfSize(200_000);
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre.pdf", offer);
        using (var sealedResponse = await DepositScenario.SealAsync(client, deposit))
        {
            Assert.Equal(HttpStatusCode.OK, sealedResponse.StatusCode);
        }
        var file = await app.WithDb(db => db.DepositFiles.SingleAsync(f => f.DepositId == deposit && f.Envelope == EnvelopeKind.Offre));
        var key = await app.WithDb(db => db.ConsultationKeys.SingleAsync(k => k.ConsultationId == consultation.Id));
        var store = app.Services.GetRequiredService<IFileStore>();
        var sealedFiles = app.Services.GetRequiredService<SealedFiles>();
        byte[] stored;
        await using (var input = await store.OpenReadAsync(file.StorageKey))
        using (var copy = new MemoryStream())
        {
            await input.CopyToAsync(copy);
            stored = copy.ToArray();
        }
        var pair = new ConsultationKeyPair(key.KeyId, key.PublicKeyDer, key.EncryptedPrivateKey);

        Assert.Equal(-1, stored.AsSpan().IndexOf(offer.AsSpan(1000, 64)));
        await Assert.ThrowsAsync<OpeningTooEarlyException>(() => sealedFiles.OpenReaderAsync(new MemoryStream(stored), pair, consultation.DeadlineUtc));
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddMilliseconds(1));
        await using var reader = await sealedFiles.OpenReaderAsync(new MemoryStream(stored), pair, consultation.DeadlineUtc);
        using var plain = new MemoryStream();
        await reader.CopyToAsync(plain);
        Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(plain.ToArray())));
        Assert.Equal(offer, plain.ToArray());
    }

    [Fact]
    public async Task Upload_OneMillisecondBeforeTheDeadline_StartsAndIsRecorded()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(1));
        using var client = await _scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id));
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddMilliseconds(-1));

        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);

        Assert.Single((await GetAsync(client, deposit)).GetProperty("files").EnumerateArray());
    }

    [Fact]
    public async Task Upload_OfAZipBomb_IsStoredAsSentAndNeverUnpacked()
    {
        var (client, deposit) = await DraftAsync();
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = await archive.CreateEntry("zeros.bin", System.IO.Compression.CompressionLevel.SmallestSize).OpenAsync();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 200; i++)
            {
                await entry.WriteAsync(zeros);
            }
        }
        var bytes = zip.ToArray();

        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "bombe.zip", bytes);

        var file = (await GetAsync(client, deposit)).GetProperty("files")[0];
        Assert.Equal(bytes.Length, file.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
        Assert.True(bytes.Length < 1024 * 1024);
        client.Dispose();
    }

    [Fact]
    public async Task RemoveFile_AfterTheDeadline_IsRefusedAndTheFileStays()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(1));
        using var client = await _scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        var fileId = (await GetAsync(client, deposit)).GetProperty("files")[0].GetProperty("id").GetGuid();
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddMilliseconds(1));

        using var response = await client.DeleteAsync($"/api/deposits/{deposit}/files/{fileId}");

        Assert.Equal("deposit.deadline-passed", await DepositScenario.CodeOfAsync(response));
        Assert.Single((await GetAsync(client, deposit)).GetProperty("files").EnumerateArray());
    }

    [Fact]
    public async Task Dume_AsXml_GoesIntoTheCandidature()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var client = await _scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id, new { mode = "Solo", candidatureType = "Dume", lots = Array.Empty<int>() }));

        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "dume.xml", System.Text.Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><ESPDResponse/>"));

        Assert.Equal("dume.xml", (await GetAsync(client, deposit)).GetProperty("files")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesTheDepositEndpoints()
    {
        using var client = app.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/consultations/{consultationId}/deposits", document, StringComparison.Ordinal);
        Assert.Contains("/api/deposits/{id}/seal", document, StringComparison.Ordinal);
        Assert.Contains("/api/deposits/{id}/receipt.tsr", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveFile_BeforeTheDeadline_TakesItOutOfTheEnvelope()
    {
        var (client, deposit) = await DraftAsync();
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        var fileId = (await GetAsync(client, deposit)).GetProperty("files")[0].GetProperty("id").GetGuid();

        using var response = await client.DeleteAsync($"/api/deposits/{deposit}/files/{fileId}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty((await GetAsync(client, deposit)).GetProperty("files").EnumerateArray());
        client.Dispose();
    }

    [Fact]
    public async Task Withdraw_BeforeTheDeadline_GivesItsOwnReceipt_AndAfterIt_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(1));
        using var client = await _scenario.ClientAsync();
        var first = await ReadyDepositAsync(client, consultation.Id);
        (await DepositScenario.SealAsync(client, first)).Dispose();
        var second = await ReadyDepositAsync(client, consultation.Id);
        (await DepositScenario.SealAsync(client, second)).Dispose();

        using var withdrawn = await client.PostAsync($"/api/deposits/{first}/withdraw", null);
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddMilliseconds(1));
        using var late = await client.PostAsync($"/api/deposits/{second}/withdraw", null);

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("Withdrawal", (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString());
        Assert.Equal("Withdrawn", (await GetAsync(client, first)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/deposits/{first}/withdrawal-receipt.pdf")).StatusCode);
        Assert.Equal("deposit.deadline-passed", await DepositScenario.CodeOfAsync(late));
    }

    [Fact]
    public async Task Mine_ListsEveryDepositOfTheCompanyAndNoneOfAnother()
    {
        var (client, deposit, number) = await SealedDepositAsync();
        using var other = await _scenario.ClientAsync(await _scenario.OtherCompanyUserAsync());

        var mine = await client.GetFromJsonAsync<JsonElement>("/api/deposits");
        var theirs = await other.GetFromJsonAsync<JsonElement>("/api/deposits");

        Assert.Contains(mine.EnumerateArray(), d => d.GetProperty("number").GetString() == number);
        Assert.DoesNotContain(theirs.EnumerateArray(), d => d.GetProperty("number").GetString() == number);
        client.Dispose();
    }

    [Fact]
    public async Task Agent_OfTheBuyer_SeesMetadataOnly()
    {
        var consultation = await new Pli.Web.Tests.Features.Portal.ConsultationBuilder(app)
            .Buyer(await app.WithDb(db => db.Organisations.Where(o => o.Name == "Métropole Démo").Select(o => o.Id).SingleAsync()))
            .SaveAsync();
        using var client = await _scenario.ClientAsync();
        var deposit = await ReadyDepositAsync(client, consultation.Id);
        (await DepositScenario.SealAsync(client, deposit)).Dispose();
        using var agent = await AgentClientAsync();

        var list = await agent.GetFromJsonAsync<JsonElement>($"/api/consultations/{consultation.Id}/deposits");
        using var content = await agent.GetAsync($"/api/deposits/{deposit}");
        using var receipt = await agent.GetAsync($"/api/deposits/{deposit}/receipt.json");

        var line = Assert.Single(list.EnumerateArray());
        Assert.Equal("BTP Démo SARL", line.GetProperty("company").GetString());
        Assert.False(line.TryGetProperty("files", out _));
        Assert.DoesNotContain("DC1.pdf", list.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, content.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, receipt.StatusCode);
    }

    [Fact]
    public async Task BuyerList_OfAnotherOrganisation_Answers404()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var agent = await AgentClientAsync();

        using var response = await agent.GetAsync($"/api/consultations/{consultation.Id}/deposits");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Start_ByAnAgent_IsRefusedAsNotFound_AndNoDraftIsMade()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var agent = await AgentClientAsync();

        using var response = await agent.PostAsJsonAsync($"/api/consultations/{consultation.Id}/deposits", new { mode = "Solo", candidatureType = "Standard" });

        // A signed-in user who is not allowed learns nothing: Pli answers a refusal as 404.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(await app.WithDb(db => db.Deposits.AnyAsync(d => d.ConsultationId == consultation.Id)));
    }

    [Fact]
    public async Task Upload_FinishingAfterItsDepositWasSealed_IsRefusedToItsSenderAndNotRecorded()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var client = await _scenario.ClientAsync();
        var deposit = await ReadyDepositAsync(client, consultation.Id);
        var late = DepositScenario.PdfOfSize(100_000);
        var url = await Pli.Web.Tests.Features.Uploads.Tus.CreateAsync(client, late.Length, DepositScenario.Metadata(deposit, "candidature", "Oubli.pdf"));
        using (var first = await client.SendAsync(Pli.Web.Tests.Features.Uploads.Tus.Patch(url, 0, late[..50_000])))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }
        (await DepositScenario.SealAsync(client, deposit)).Dispose();

        using var rest = await client.SendAsync(Pli.Web.Tests.Features.Uploads.Tus.Patch(url, 50_000, late[50_000..]));

        Assert.Equal("deposit.already-sealed", await DepositScenario.CodeOfAsync(rest));
        Assert.DoesNotContain((await GetAsync(client, deposit)).GetProperty("files").EnumerateArray(), f => f.GetProperty("name").GetString() == "Oubli.pdf");
    }

    [Fact]
    public async Task Pages_OfAnotherCompanysDeposit_Answer404()
    {
        var (client, deposit, _) = await SealedDepositAsync();
        var draft = await ReadyDepositAsync(client, (await _scenario.ConsultationAsync()).Id);
        using var browser = app.Browser();
        await browser.SignInAsync(await _scenario.OtherCompanyUserAsync(), Pli.Web.Features.Demo.DemoData.Password);

        using var receipt = await browser.GetAsync($"/depots/{deposit}");
        using var files = await browser.GetAsync($"/depots/{draft}/fichiers");

        Assert.Equal(HttpStatusCode.NotFound, receipt.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, files.StatusCode);
        client.Dispose();
    }

    [Theory]
    [InlineData("fr-FR", "(heure de Paris, UTC+0", "Paris time")]
    [InlineData("en-GB", "(Paris time, UTC+0", "heure de Paris")]
    public async Task DepositPages_GiveTheirTimesInTheReadersLanguage_WithTheZone(string culture, string zone, string otherLanguage)
    {
        var (client, deposit, _) = await SealedDepositAsync();
        var consultation = await _scenario.ConsultationAsync();
        var draft = await ReadyDepositAsync(client, consultation.Id);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        foreach (var path in new[] { $"/depots/{deposit}", $"/depots/{draft}/fichiers", "/depots", $"/consultations/{consultation.Id}/repondre" })
        {
            var page = (await browser.GetPageAsync($"{path}?culture={culture}")).Body!.TextContent;

            Assert.True(page.Contains(zone, StringComparison.Ordinal), $"{path} in {culture}: no \"{zone}\"");
            Assert.False(page.Contains(otherLanguage, StringComparison.Ordinal), $"{path} in {culture}: \"{otherLanguage}\"");
        }
        client.Dispose();
    }

    [Fact]
    public async Task RespondPage_AfterTheDeadline_SendsBackToTheConsultation()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(1));
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddMilliseconds(1));

        using var response = await browser.GetAsync($"/consultations/{consultation.Id}/repondre");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/consultations/{consultation.Id}", response.Headers.Location!.OriginalString);
    }

    private async Task<HttpClient> AgentClientAsync()
    {
        var client = app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        using var response = await client.PostAsJsonAsync("/api/auth/token", new
        {
            email = Pli.Web.Features.Demo.DemoData.AgentEmail,
            password = Pli.Web.Features.Demo.DemoData.Password,
            // Identity checks TOTP codes against the machine's clock, not the app's.
            twoFactorCode = Totp.Code(Pli.Web.Features.Demo.DemoData.TotpSecret, TimeProvider.System.GetUtcNow()),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<(HttpClient Client, Guid Deposit)> DraftAsync()
    {
        var consultation = await _scenario.ConsultationAsync();
        var client = await _scenario.ClientAsync();
        return (client, DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id)));
    }

    private static async Task<Guid> ReadyDepositAsync(HttpClient client, Guid consultationId)
    {
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultationId));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre.pdf", DepositScenario.Pdf);
        return deposit;
    }

    private async Task<(HttpClient Client, Guid Deposit, string Number)> SealedDepositAsync()
    {
        var consultation = await _scenario.ConsultationAsync();
        var client = await _scenario.ClientAsync();
        var deposit = await ReadyDepositAsync(client, consultation.Id);
        using var response = await DepositScenario.SealAsync(client, deposit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (client, deposit, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, Guid deposit) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/deposits/{deposit}");

    private string[] UploadFiles()
    {
        var folder = Path.Combine(app.DataRoot, "files", "uploads");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string folder)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}

public sealed class DepositApiTestsOnSqlite(DepositsSqliteApp app) : DepositApiTests(app), IClassFixture<DepositsSqliteApp>;

public sealed class DepositApiTestsOnPostgres(DepositsPostgresApp app) : DepositApiTests(app), IClassFixture<DepositsPostgresApp>;
