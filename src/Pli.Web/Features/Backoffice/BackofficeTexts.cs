namespace Pli.Web.Features.Backoffice;

/// <summary>Marker for the buyers' back office texts: BackofficeTexts.resx (French) and BackofficeTexts.en.resx.</summary>
public sealed class BackofficeTexts;
