using Pli.Web.Infrastructure.Data;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pli.Web.Features.Deposits.Receipts;

namespace Pli.Web.Tests.Features.Deposits;

/// <summary>
/// The receipt is read back with poppler (pdftotext, pdfinfo), as a reader's PDF viewer would read it,
/// rather than by looking for strings in PDFsharp's compressed, subset-encoded output.
/// </summary>
public sealed partial class ReceiptPdfTests
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    [Fact]
    public async Task WriteAsync_WritesACompletePdf()
    {
        var bytes = await Render(ReceiptSamples.Deposit(), French);

        Assert.Equal("%PDF-"u8.ToArray(), bytes[..5]);
        Assert.Contains("%%EOF", Encoding.ASCII.GetString(bytes[^32..]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_NamesTheDepositTheConsultationAndTheCompany()
    {
        var text = await Text(ReceiptSamples.Deposit(), French);

        Assert.Contains("Accusé de réception de votre pli", text, StringComparison.Ordinal);
        Assert.Contains("D-2026-000042", text, StringComparison.Ordinal);
        Assert.Contains("2026-MDEMO-0017", text, StringComparison.Ordinal);
        Assert.Contains("Travaux de rénovation du groupe scolaire Jean-Jaurès", text, StringComparison.Ordinal);
        Assert.Contains("Métropole Démo", text, StringComparison.Ordinal);
        Assert.Contains("443 210 109 00015", text, StringComparison.Ordinal);
        Assert.Contains("Groupement conjoint", text, StringComparison.Ordinal);
        Assert.Contains("Plomberie Exemple SAS — Co-traitant", text, StringComparison.Ordinal);
        Assert.Contains("Lot 2 : Plomberie", text, StringComparison.Ordinal);
        Assert.Contains("Copie de sauvegarde", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_InWinter_GivesTheParisTimeToTheSecondWithUtcPlusOneAndTheUtcInstant()
    {
        var text = await Text(ReceiptSamples.Deposit(), French);

        Assert.Contains("mardi 1 décembre 2026 à 11:59:59 (heure de Paris, UTC+01:00)", text, StringComparison.Ordinal);
        Assert.Contains("2026-12-01T10:59:59.123Z", text, StringComparison.Ordinal);
        Assert.Contains("mardi 1 décembre 2026 à 12:00:00 (heure de Paris, UTC+01:00)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("UTC+02:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_InSummer_GivesUtcPlusTwo()
    {
        var received = new DateTimeOffset(2026, 7, 1, 9, 59, 59, TimeSpan.Zero);
        var receipt = ReceiptSamples.Deposit() with
        {
            ReceivedAtUtc = received,
            TransmissionStartedUtc = received.AddMinutes(-3),
            DeadlineUtc = received.AddSeconds(1),
            TimestampGenTime = received.AddSeconds(1),
        };

        var text = await Text(receipt, French);

        Assert.Contains("mercredi 1 juillet 2026 à 11:59:59 (heure de Paris, UTC+02:00)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("UTC+01:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_HasEveryFileDigestInFullAndTheReceiptDigest()
    {
        var receipt = ReceiptSamples.Deposit();

        var text = await Text(receipt, French);

        foreach (var file in receipt.Envelopes.SelectMany(e => e.Files))
        {
            Assert.Contains(file.Sha256, text, StringComparison.Ordinal);
        }
        Assert.Contains(receipt.ReceiptSha256, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_GivesSizesAndTotalsTheFrenchWay()
    {
        var text = await Text(ReceiptSamples.Deposit(), French);

        Assert.Contains("1,5 Mo", text, StringComparison.Ordinal);
        // 183 412 + 96 000 + 1 572 864 + 4 200 000 bytes.
        Assert.Contains("4 fichiers, 5,8 Mo (6 052 276 octets)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_GivesTheTimeStampTokenAndHowToVerifyIt()
    {
        var text = await Text(ReceiptSamples.Deposit(), French);

        Assert.Contains("0x5F3A91C2", text, StringComparison.Ordinal);
        Assert.Contains("CN=Pli Demo TSA, O=Pli, C=FR", text, StringComparison.Ordinal);
        Assert.Contains("mardi 1 décembre 2026 à 12:00:00 (heure de Paris, UTC+01:00)", text, StringComparison.Ordinal);
        Assert.Contains("openssl ts -verify -data recepisse.json -in recepisse.tsr -CAfile tsa.pem", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_WithoutATokenYet_SaysSoInsteadOfAnEmptySerial()
    {
        var receipt = ReceiptSamples.Deposit() with { TimestampGenTime = null, TimestampSerial = null, TimestampAuthority = null };

        var text = await Text(receipt, French);

        Assert.Contains("n'a pas encore été délivré", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Numéro de série du jeton", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LateReceipt_ShowsTheBanner()
    {
        var text = await Text(ReceiptSamples.Late(), French);

        Assert.Contains("Pli reçu HORS DÉLAI : il est conservé scellé et ne sera pas ouvert.", text, StringComparison.Ordinal);
        Assert.Contains("mardi 1 décembre 2026 à 12:00:04 (heure de Paris, UTC+01:00)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnTimeReceipt_HasNoBanner()
    {
        var text = await Text(ReceiptSamples.Deposit(), French);

        Assert.DoesNotContain("HORS DÉLAI", text, StringComparison.Ordinal);
        Assert.Contains("Reçu avant la date limite", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Withdrawal_HasItsOwnTitle()
    {
        var text = await Text(ReceiptSamples.Deposit() with { Kind = ReceiptKind.Withdrawal }, French);

        Assert.Contains("Accusé de réception du retrait de votre pli", text, StringComparison.Ordinal);
        Assert.Contains("Retrait enregistré le", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_UsesEnglishLabelsSizesAndDates()
    {
        var text = await Text(ReceiptSamples.Late(), English);

        Assert.Contains("Acknowledgement of receipt of your tender", text, StringComparison.Ordinal);
        Assert.Contains("Tuesday 1 December 2026 at 12:00:04 (Paris time, UTC+01:00)", text, StringComparison.Ordinal);
        Assert.Contains("1.5 MB", text, StringComparison.Ordinal);
        Assert.Contains("4 files, 5.8 MB (6,052,276 bytes)", text, StringComparison.Ordinal);
        Assert.Contains("Tender received AFTER THE DEADLINE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Accusé de réception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("heure de Paris", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoHundredFilesWithLongNames_RunOverNumberedPagesAndKeepEveryDigest()
    {
        var receipt = ReceiptSamples.ManyFiles();

        var bytes = await Render(receipt, French);
        var pages = await Pages(bytes);
        var text = Normalise(await Poppler("pdftotext", bytes, "-enc", "UTF-8"));

        Assert.True(pages > 1, $"{pages} page(s)");
        Assert.Contains($"Page 1 / {pages}", text, StringComparison.Ordinal);
        Assert.Contains($"Page {pages} / {pages}", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"Page {pages + 1} / ", text, StringComparison.Ordinal);
        Assert.All(receipt.Envelopes[0].Files, f => Assert.Contains(f.Sha256, text, StringComparison.Ordinal));
        Assert.Contains("200 fichiers", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoHundredFilesWithLongNames_KeepEachDigestWholeOnOneLine()
    {
        // Read as laid out: a digest cut over two lines, or a long name running into the digest's column,
        // would leave a line without the whole digest or with characters glued to it.
        var receipt = ReceiptSamples.ManyFiles();

        var layout = await Poppler("pdftotext", await Render(receipt, French), "-layout", "-enc", "UTF-8");

        var digestLines = layout.Split('\n').Where(l => Hex64().IsMatch(l)).ToList();
        Assert.Equal(200, digestLines.Count(l => receipt.Envelopes[0].Files.Any(f => l.Contains(f.Sha256, StringComparison.Ordinal))));
        Assert.All(digestLines, l => Assert.DoesNotMatch(@"[0-9a-f]{64}\S", l));
    }

    [Fact]
    public async Task Metadata_NamesTheReceiptAndIsDatedByTheHorodatage()
    {
        var info = await Poppler("pdfinfo", await Render(ReceiptSamples.Deposit(), French), "-isodates");

        Assert.Matches(@"Title:\s+Accusé de réception de votre pli — D-2026-000042", info);
        Assert.Matches(@"Author:\s+Pli", info);
        var created = Regex.Match(info, @"CreationDate:\s+(\S+)").Groups[1].Value;
        Assert.Equal(ReceiptSamples.WinterReceivedUtc.AddMilliseconds(-123), DateTimeOffset.Parse(created, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SameReceipt_GivesTheSameBytes()
    {
        var first = await Render(ReceiptSamples.Deposit(), French);
        await Task.Delay(1100);
        var second = await Render(ReceiptSamples.Deposit(), French);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task WriteAsync_ToAStreamThatNeitherSeeksNorWritesSynchronously_Works()
    {
        var target = new AsyncOnlyTarget();

        await ReceiptPdf.WriteAsync(ReceiptSamples.Deposit(), target, French);

        Assert.Equal(await Render(ReceiptSamples.Deposit(), French), target.ToArray());
    }

    [Fact]
    public async Task ConcurrentFirstReceipts_AllRender()
    {
        var renders = Enumerable.Range(0, 8).Select(_ => Task.Run(() => Render(ReceiptSamples.Deposit(), French)));

        var results = await Task.WhenAll(renders);

        Assert.All(results, r => Assert.Equal(results[0], r));
    }

    private static async Task<byte[]> Render(ReceiptDocument receipt, CultureInfo culture)
    {
        using var output = new MemoryStream();
        await ReceiptPdf.WriteAsync(receipt, output, culture);
        return output.ToArray();
    }

    private static async Task<string> Text(ReceiptDocument receipt, CultureInfo culture) =>
        Normalise(await Poppler("pdftotext", await Render(receipt, culture), "-enc", "UTF-8"));

    // Wrapped lines and the no-break spaces of French numbers ("6 052 276") compared as plain spaces.
    private static string Normalise(string text) => Whitespace().Replace(text, " ");

    private static async Task<int> Pages(byte[] pdf)
    {
        var info = await Poppler("pdfinfo", pdf);
        return int.Parse(Regex.Match(info, @"Pages:\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a poppler tool on the PDF (written to a temporary file) and returns what it prints.</summary>
    private static async Task<string> Poppler(string tool, byte[] pdf, params string[] options)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pli-receipt-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var start = new ProcessStartInfo(tool)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (var option in options)
            {
                start.ArgumentList.Add(option);
            }
            start.ArgumentList.Add(path);
            if (tool == "pdftotext")
            {
                start.ArgumentList.Add("-");
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {await errors}");
            return await output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"[\s\u00A0\u202F]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex Hex64();

    /// <summary>A response body: it cannot seek and refuses synchronous writes, as Kestrel's does.</summary>
    private sealed class AsyncOnlyTarget : Stream
    {
        private readonly MemoryStream _received = new();

        public byte[] ToArray() => _received.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _received.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
