namespace Pli.Web.Features.Dev;

/// <summary>Marker for the development pages' texts: DevTexts.resx (French) and DevTexts.en.resx.</summary>
public sealed class DevTexts;
