using System.Text;
using Pli.Domain.Common;
using Pli.Domain.Deposits;
using static Pli.Domain.Tests.Deposits.DepositTestData;

namespace Pli.Domain.Tests.Deposits;

/// <summary>The files of a deposit's envelopes: checked before the upload starts, recorded once received, removed.</summary>
public sealed class DepositFileTests
{
    private static readonly DepositLimits Small = new(MaxFileSize: 100, MaxDepositSize: 250);

    // RequireCanStartFile: time.

    [Fact]
    public void RequireCanStartFile_BeforeDeadline_ReturnsTheName()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Candidature, null, "DC1.pdf", 1000, DepositLimits.Default, Before);

        Assert.Equal("DC1.pdf", name);
    }

    [Fact]
    public void RequireCanStartFile_AtTheDeadlineInstant_IsAllowed()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.pdf", 1000, DepositLimits.Default, Deadline);

        Assert.Equal("Offre.pdf", name);
    }

    [Fact]
    public void RequireCanStartFile_OneMillisecondAfterDeadline_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.pdf", 1000, DepositLimits.Default, Deadline.AddMilliseconds(1)));

        Assert.Equal("deposit.upload-after-deadline", error.Code);
        Assert.Equal("File", error.Field);
        Assert.True(deposit.IsDraft);
    }

    [Fact]
    public void RequireCanStartFile_OnASealedDeposit_IsRefused()
    {
        var consultation = Published();
        var deposit = Sealed(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Annexe.pdf", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.already-sealed", error.Code);
    }

    // Format.

    [Theory]
    [InlineData("setup.exe", ".exe")]
    [InlineData("offre.pdf.js", ".js")]
    public void RequireCanStartFile_FormatNotAccepted_IsRefused(string fileName, string extension)
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, fileName, 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.format-refused", error.Code);
        Assert.Equal("File", error.Field);
        Assert.Equal(extension, error.Arguments[0]);
    }

    [Fact]
    public void RequireCanStartFile_WithoutExtension_IsRefusedAsAFormat()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.format-refused", error.Code);
        Assert.Equal("—", error.Arguments[0]);
    }

    [Fact]
    public void RequireCanStartFile_WithCustomFormats_RefusesADefaultFormatNotInTheList()
    {
        var consultation = Published(formats: [".pdf"]);
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.docx", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.format-refused", error.Code);
        Assert.Equal(".docx", error.Arguments[0]);
        Assert.Equal(".pdf", error.Arguments[1]);
    }

    [Fact]
    public void RequireCanStartFile_WithCustomFormats_AcceptsAFormatOfTheList()
    {
        var consultation = Published(formats: [".pdf", ".ifc"]);
        var deposit = Draft(consultation);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Maquette.ifc", 1000, DepositLimits.Default, Before);

        Assert.Equal("Maquette.ifc", name);
    }

    [Theory]
    [InlineData("OFFRE.PDF")]
    [InlineData("Offre.Pdf")]
    public void RequireCanStartFile_ExtensionInAnotherCase_IsAcceptedAndKeptAsWritten(string fileName)
    {
        var consultation = Published(formats: [".pdf"]);
        var deposit = Draft(consultation);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, fileName, 1000, DepositLimits.Default, Before);

        Assert.Equal(fileName, name);
    }

    [Fact]
    public void RequireCanStartFile_WithCustomFormatsWrittenInUpperCase_AcceptsTheExtensionInLowerCase()
    {
        var consultation = Published(formats: [".PDF"]);
        var deposit = Draft(consultation);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "offre.pdf", 1000, DepositLimits.Default, Before);

        Assert.Equal("offre.pdf", name);
    }

    // Size.

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void RequireCanStartFile_EmptyFile_IsRefused(long size)
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.pdf", size, DepositLimits.Default, Before));

        Assert.Equal("file.empty", error.Code);
        Assert.Equal("File", error.Field);
    }

    [Fact]
    public void RequireCanStartFile_OneByteOverMaxFileSize_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.pdf", Small.MaxFileSize + 1, Small, Before));

        Assert.Equal("deposit.file-too-large", error.Code);
        Assert.Equal("File", error.Field);
        Assert.Equal(Small.MaxFileSize, error.Arguments[1]);
    }

    [Fact]
    public void RequireCanStartFile_ExactlyMaxFileSize_IsAllowed()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.pdf", Small.MaxFileSize, Small, Before);

        Assert.Equal("Offre.pdf", name);
    }

    [Fact]
    public void RequireCanStartFile_OneByteOverTwoGibibytes_WithDefaultLimits_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.zip", (2L * 1024 * 1024 * 1024) + 1, DepositLimits.Default, Before));

        Assert.Equal("deposit.file-too-large", error.Code);
    }

    [Fact]
    public void RequireCanStartFile_TakingTheDepositOverItsMaxSize_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf", size: 100);
        deposit.Receive(EnvelopeKind.Candidature, name: "DC2.pdf", size: 100);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.pdf", 51, Small, Before));

        Assert.Equal("deposit.too-large", error.Code);
        Assert.Equal("File", error.Field);
        Assert.Equal(Small.MaxDepositSize, Assert.Single(error.Arguments));
        Assert.Equal(200, deposit.TotalSize);
    }

    [Fact]
    public void RequireCanStartFile_FillingTheDepositExactlyToItsMaxSize_IsAllowed()
    {
        var consultation = Published();
        var deposit = Draft(consultation);
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf", size: 100);
        deposit.Receive(EnvelopeKind.Candidature, name: "DC2.pdf", size: 100);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.pdf", 50, Small, Before);

        Assert.Equal("Offre.pdf", name);
    }

    // Names.

    [Fact]
    public void RequireCanStartFile_NameAlreadyInTheEnvelopeInAnotherCase_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);
        deposit.Receive(EnvelopeKind.Offre, name: "Mémoire technique.pdf");

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "MÉMOIRE TECHNIQUE.PDF", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.duplicate-file", error.Code);
        Assert.Equal("File", error.Field);
        Assert.Single(deposit.Files);
    }

    [Fact]
    public void RequireCanStartFile_DecomposedNameOfAFileAlreadyInTheEnvelope_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);
        deposit.Receive(EnvelopeKind.Offre, name: "M\u00e9moire.pdf");

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Me\u0301moire.pdf", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.duplicate-file", error.Code);
    }

    [Fact]
    public void RequireCanStartFile_NameAlreadyInAnotherEnvelope_IsAllowed()
    {
        var consultation = Published();
        var deposit = Draft(consultation);
        deposit.Receive(EnvelopeKind.Candidature, name: "Attestation.pdf");

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Attestation.pdf", 1000, DepositLimits.Default, Before);

        Assert.Equal("Attestation.pdf", name);
    }

    [Fact]
    public void RequireCanStartFile_NameAlreadyInTheOfferOfAnotherLot_IsAllowed()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(1, 2));
        deposit.Receive(EnvelopeKind.Offre, 1, "BPU.xlsx");

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, 2, "BPU.xlsx", 1000, DepositLimits.Default, Before);

        Assert.Equal("BPU.xlsx", name);
    }

    [Theory]
    [InlineData("../x.pdf", "file.name.forbidden")]
    [InlineData("dossier/x.pdf", "file.name.forbidden")]
    [InlineData("a\\b.pdf", "file.name.forbidden")]
    [InlineData("a\0b.pdf", "file.name.control")]
    [InlineData("CON.pdf", "file.name.reserved")]
    [InlineData("lpt1.pdf", "file.name.reserved")]
    [InlineData("", "file.name.empty")]
    [InlineData("   ", "file.name.empty")]
    [InlineData(null, "file.name.empty")]
    public void RequireCanStartFile_UnsafeName_IsRefused(string? fileName, string code)
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, fileName!, 1000, DepositLimits.Default, Before));

        Assert.Equal(code, error.Code);
        Assert.Equal("File", error.Field);
    }

    [Fact]
    public void RequireCanStartFile_NameOf300Characters_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);
        var fileName = new string('a', 296) + ".pdf";

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, fileName, 1000, DepositLimits.Default, Before));

        Assert.Equal("file.name.long", error.Code);
        Assert.Equal("File", error.Field);
    }

    [Fact]
    public void RequireCanStartFile_DecomposedName_IsReturnedComposed()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Me\u0301moire te\u0301chnique.pdf", 1000, DepositLimits.Default, Before);

        Assert.Equal("M\u00e9moire t\u00e9chnique.pdf", name);
        Assert.True(name.IsNormalized(NormalizationForm.FormC));
    }

    [Fact]
    public void RequireCanStartFile_NameWithSurroundingSpaces_IsReturnedTrimmed()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "  Offre.pdf ", 1000, DepositLimits.Default, Before);

        Assert.Equal("Offre.pdf", name);
    }

    [Fact]
    public void RequireCanStartFile_NameWithALoneSurrogate_IsRefusedAsARule()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Record.Exception(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre\uD800.pdf", 1000, DepositLimits.Default, Before));

        Assert.IsType<DomainException>(error);
    }

    // Envelopes.

    [Fact]
    public void RequireCanStartFile_OfferForALotNotChosen_IsRefused()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(1));

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, 2, "Offre.pdf", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.envelope-unknown", error.Code);
        Assert.Equal("File", error.Field);
    }

    [Fact]
    public void RequireCanStartFile_OfferWithoutLotOnAllotiConsultation_IsRefused()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(1));

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.pdf", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.envelope-unknown", error.Code);
    }

    [Fact]
    public void RequireCanStartFile_OfferWithALotOnConsultationWithoutLots_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, 1, "Offre.pdf", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.envelope-unknown", error.Code);
    }

    [Fact]
    public void RequireCanStartFile_CandidatureWithALot_IsRefused()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(1));

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, EnvelopeKind.Candidature, 1, "DC1.pdf", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.envelope-unknown", error.Code);
        Assert.Equal("File", error.Field);
    }

    [Fact]
    public void RequireCanStartFile_UndefinedEnvelope_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() =>
            deposit.RequireCanStartFile(consultation, (EnvelopeKind)42, null, "DC1.pdf", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.envelope-unknown", error.Code);
    }

    // AddReceivedFile.

    [Fact]
    public void AddReceivedFile_RecordsTheFileInItsEnvelope()
    {
        var deposit = Draft(Published(lots: [1, 2]), DepositChoices.Solo(2));
        var uploadId = Guid.NewGuid();
        var started = Deadline.AddHours(-2);
        var received = Deadline.AddHours(-1);

        var file = deposit.AddReceivedFile(EnvelopeKind.Offre, 2, "BPU.XLSX", 4321, new string('c', 64), "deposits/k", uploadId, started, received);

        Assert.Same(file, Assert.Single(deposit.Files));
        Assert.NotEqual(Guid.Empty, file.Id);
        Assert.Equal(deposit.Id, file.DepositId);
        Assert.Equal(EnvelopeKind.Offre, file.Envelope);
        Assert.Equal(2, file.LotNumber);
        Assert.Equal("BPU.XLSX", file.Name);
        Assert.Equal(".xlsx", file.Format);
        Assert.Equal(4321, file.Size);
        Assert.Equal(new string('c', 64), file.Sha256);
        Assert.Equal("deposits/k", file.StorageKey);
        Assert.Equal(uploadId, file.UploadId);
        Assert.Equal(started, file.TransmissionStartedUtc);
        Assert.Equal(received, file.ReceivedUtc);
        Assert.Equal(4321, deposit.TotalSize);
    }

    [Fact]
    public void AddReceivedFile_AfterTheDeadline_OfAnUploadStartedBefore_IsAllowed()
    {
        var deposit = Draft(Published());

        var file = deposit.Receive(EnvelopeKind.Offre, startedUtc: Deadline.AddMinutes(-5), receivedUtc: Deadline.AddMinutes(10));

        Assert.Same(file, Assert.Single(deposit.Files));
    }

    [Fact]
    public void AddReceivedFile_OnASealedDeposit_IsRefused()
    {
        var deposit = Sealed(Published());

        var error = Assert.Throws<DomainException>(() => deposit.Receive(EnvelopeKind.Offre, name: "Annexe.pdf"));

        Assert.Equal("deposit.already-sealed", error.Code);
        Assert.Equal(2, deposit.Files.Count);
    }

    [Fact]
    public void AddReceivedFile_IntoTheOfferOfALotNotChosen_IsRefused()
    {
        var deposit = Draft(Published(lots: [1, 2]), DepositChoices.Solo(1));

        var error = Assert.Throws<DomainException>(() => deposit.Receive(EnvelopeKind.Offre, 2));

        Assert.Equal("deposit.envelope-unknown", error.Code);
        Assert.Empty(deposit.Files);
    }

    // RemoveFile.

    [Fact]
    public void RemoveFile_BeforeDeadline_RemovesItAndReturnsIt()
    {
        var deposit = Draft(Published());
        var kept = deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf", size: 10);
        var removed = deposit.Receive(EnvelopeKind.Offre, name: "Offre.pdf", size: 20);

        var file = deposit.RemoveFile(removed.Id, Deadline, Before);

        Assert.Same(removed, file);
        Assert.Same(kept, Assert.Single(deposit.Files));
        Assert.Equal(10, deposit.TotalSize);
    }

    [Fact]
    public void RemoveFile_AtTheDeadlineInstant_IsAllowed()
    {
        var deposit = Draft(Published());
        var file = deposit.Receive(EnvelopeKind.Offre);

        deposit.RemoveFile(file.Id, Deadline, Deadline);

        Assert.Empty(deposit.Files);
    }

    [Fact]
    public void RemoveFile_OneMillisecondAfterDeadline_IsRefused()
    {
        var deposit = Draft(Published());
        var file = deposit.Receive(EnvelopeKind.Offre);

        var error = Assert.Throws<DomainException>(() => deposit.RemoveFile(file.Id, Deadline, Deadline.AddMilliseconds(1)));

        Assert.Equal("deposit.deadline-passed", error.Code);
        Assert.Same(file, Assert.Single(deposit.Files));
    }

    [Fact]
    public void RemoveFile_NotInThePli_IsRefused()
    {
        var deposit = Draft(Published());
        deposit.Receive(EnvelopeKind.Offre);

        var error = Assert.Throws<DomainException>(() => deposit.RemoveFile(Guid.NewGuid(), Deadline, Before));

        Assert.Equal("deposit.file-unknown", error.Code);
        Assert.Equal("File", error.Field);
        Assert.Single(deposit.Files);
    }

    [Fact]
    public void RemoveFile_OfASealedDeposit_IsRefused()
    {
        var deposit = Sealed(Published());
        var file = deposit.Files[0];

        var error = Assert.Throws<DomainException>(() => deposit.RemoveFile(file.Id, Deadline, Before));

        Assert.Equal("deposit.already-sealed", error.Code);
        Assert.Contains(file, deposit.Files);
    }

    [Fact]
    public void RemoveFile_FreesItsNameInTheEnvelope()
    {
        var consultation = Published();
        var deposit = Draft(consultation);
        var file = deposit.Receive(EnvelopeKind.Offre, name: "Offre.pdf");
        deposit.RemoveFile(file.Id, Deadline, Before);

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "Offre.pdf", 1000, DepositLimits.Default, Before);

        Assert.Equal("Offre.pdf", name);
    }

    // The DUME.

    [Fact]
    public void RequireCanStartFile_XmlDumeIntoTheCandidatureOfADumeDeposit_IsAllowed()
    {
        var consultation = Published();
        var deposit = Draft(consultation, new DepositChoices(DepositMode.Solo, CandidatureType.Dume, [], []));

        var name = deposit.RequireCanStartFile(consultation, EnvelopeKind.Candidature, null, "dume.xml", 1000, DepositLimits.Default, Before);

        Assert.Equal("dume.xml", name);
    }

    [Fact]
    public void RequireCanStartFile_XmlIntoTheCandidatureOfAStandardDeposit_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation);

        var error = Assert.Throws<DomainException>(() => deposit.RequireCanStartFile(consultation, EnvelopeKind.Candidature, null, "dume.xml", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.format-refused", error.Code);
    }

    [Fact]
    public void RequireCanStartFile_XmlIntoTheOfferOfADumeDeposit_IsRefused()
    {
        var consultation = Published();
        var deposit = Draft(consultation, new DepositChoices(DepositMode.Solo, CandidatureType.Dume, [], []));

        var error = Assert.Throws<DomainException>(() => deposit.RequireCanStartFile(consultation, EnvelopeKind.Offre, null, "offre.xml", 1000, DepositLimits.Default, Before));

        Assert.Equal("deposit.format-refused", error.Code);
    }
}
