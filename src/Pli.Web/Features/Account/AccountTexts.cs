namespace Pli.Web.Features.Account;

/// <summary>Marker for the account pages' texts: AccountTexts.resx (French) and AccountTexts.en.resx.</summary>
public sealed class AccountTexts;
