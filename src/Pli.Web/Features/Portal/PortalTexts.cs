namespace Pli.Web.Features.Portal;

/// <summary>Marker for the public portal's texts: PortalTexts.resx (French) and PortalTexts.en.resx.</summary>
public sealed class PortalTexts;
