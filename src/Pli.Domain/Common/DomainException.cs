namespace Pli.Domain.Common;

/// <summary>
/// A rule of the domain was broken. <see cref="Code"/> names the rule (for example
/// <c>siret.invalid</c>) so that the host can show its message in the user's language;
/// the message is the French default.
/// </summary>
public sealed class DomainException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>The input field at fault, when there is one, so a form can show the message beside it.</summary>
    public string? Field { get; } = field;
}
