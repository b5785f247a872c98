namespace Pli.Web.Features.Shared;

/// <summary>Marker for the texts of the time left before a deadline: TimeLeftTexts.resx.</summary>
public sealed class TimeLeftTexts;
