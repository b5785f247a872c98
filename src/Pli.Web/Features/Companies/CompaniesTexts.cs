namespace Pli.Web.Features.Companies;

/// <summary>Marker for the company area's texts: CompaniesTexts.resx (French) and CompaniesTexts.en.resx.</summary>
public sealed class CompaniesTexts;
