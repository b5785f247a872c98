namespace Pli.Web.Features.Dce;

/// <summary>Marker for the DCE pages' texts: DceTexts.resx (French) and DceTexts.en.resx.</summary>
public sealed class DceTexts;
