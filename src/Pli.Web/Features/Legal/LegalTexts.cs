namespace Pli.Web.Features.Legal;

/// <summary>Marker for the texts of the terms of use: LegalTexts.resx (French) and LegalTexts.en.resx.</summary>
public sealed class LegalTexts;
