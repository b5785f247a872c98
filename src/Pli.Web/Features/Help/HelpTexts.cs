namespace Pli.Web.Features.Help;

/// <summary>Marker for the texts of the help centre and of the workstation test: HelpTexts.resx (French) and HelpTexts.en.resx.</summary>
public sealed class HelpTexts;
