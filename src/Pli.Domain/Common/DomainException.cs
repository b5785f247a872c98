namespace Pli.Domain.Common;

/// <summary>
/// A rule of the domain was broken. <see cref="Code"/> names the rule (for example
/// <c>siret.invalid</c>) so that the host can show its message in the user's language;
/// the message is the French default.
/// </summary>
public sealed class DomainException(string code, string message, string? field = null, params object[] arguments) : Exception(message)
{
    /// <summary>The values the message names ({0}, {1}… in the host's translations of <see cref="Code"/>).</summary>
    public IReadOnlyList<object> Arguments { get; } = arguments;

    public string Code { get; } = code;

    /// <summary>The input field at fault, when there is one, so a form can show the message beside it.</summary>
    public string? Field { get; } = field;
}
