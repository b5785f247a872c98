using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Pli.Domain.Common;

namespace Pli.Web.Infrastructure.Errors;

/// <summary>
/// The message of a broken domain rule in the reader's language: DomainMessages.resx (French) and
/// DomainMessages.en.resx hold one text per rule code, with {0}, {1}… for the values the rule names.
/// </summary>
public static partial class DomainMessages
{
    private static readonly ResourceManager Texts = new(typeof(DomainMessages));

    public static string For(DomainException exception, CultureInfo? culture = null)
    {
        var ui = culture ?? CultureInfo.CurrentUICulture;
        var template = Texts.GetString(exception.Code, ui);
        // A host-made exception may reuse a rule's code with its message already in the reader's
        // language and no values: then the template cannot be filled and the message stands.
        if (template is null || PlaceholderCount(template) > exception.Arguments.Count)
        {
            return exception.Message;
        }
        return string.Format(culture ?? CultureInfo.CurrentCulture, template, [.. exception.Arguments]);
    }

    private static int PlaceholderCount(string template) =>
        Placeholder().Matches(template).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();

    [GeneratedRegex(@"\{(\d+)(:[^}]*)?\}")]
    private static partial Regex Placeholder();
}
