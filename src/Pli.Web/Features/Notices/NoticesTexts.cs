using System.Globalization;
using System.Resources;
using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Web.Features.Notices;

/// <summary>
/// Texts of the modification pages, the public history and the notice mail: NoticesTexts.resx (French)
/// and NoticesTexts.en.resx. Also a marker for <c>IStringLocalizer&lt;NoticesTexts&gt;</c>.
/// </summary>
public sealed class NoticesTexts
{
    private static readonly ResourceManager Texts = new(typeof(NoticesTexts));

    public static string Get(string key, CultureInfo? culture = null) =>
        Texts.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? key;

    /// <summary>"Report de date", "Rectificatif"…; an unknown kind (older data) is shown as stored.</summary>
    public static string Kind(string kind, CultureInfo? culture = null) =>
        Texts.GetString("Kind_" + kind, culture ?? CultureInfo.CurrentUICulture) ?? kind;

    /// <summary>"old → new" in the reader's language, dates in Paris time with their zone; null when the change has no values.</summary>
    public static string? Change(ConsultationModification m, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentUICulture;
        if (m.Kind is ModificationKind.Deadline or ModificationKind.QuestionDeadline
            && Consultation.ParseRecordedInstant(m.OldValue) is { } before && Consultation.ParseRecordedInstant(m.NewValue) is { } after)
        {
            return $"{ParisTime.Format(before, culture)} → {ParisTime.Format(after, culture)}";
        }
        if (m.Kind == ModificationKind.DceComplement && int.TryParse(m.NewValue, CultureInfo.InvariantCulture, out var count))
        {
            return string.Format(culture, Get("Change_FilesAdded", culture), count);
        }
        if (m.OldValue is not null && m.NewValue is not null)
        {
            return $"{m.OldValue} → {m.NewValue}";
        }
        return null;
    }
}
