namespace Pli.Web.Features.Admin;

/// <summary>Marker for the platform administration texts: AdminTexts.resx (French) and AdminTexts.en.resx.</summary>
public sealed class AdminTexts;
