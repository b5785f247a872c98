namespace Pli.Web.Features.Shared;

/// <summary>Marker for the texts shared by every page (layout, navigation, common buttons): SharedTexts.resx.</summary>
public sealed class SharedTexts;
