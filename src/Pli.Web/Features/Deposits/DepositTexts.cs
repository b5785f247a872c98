namespace Pli.Web.Features.Deposits;

/// <summary>Marker for the deposit pages' texts: DepositTexts.resx (French) and DepositTexts.en.resx.</summary>
public sealed class DepositTexts;
