using System.Globalization;
using System.Resources;
using Pli.Domain.Consultations;

namespace Pli.Web.Features.Shared;

/// <summary>
/// Labels of procedures, natures and file sizes, read from ConsultationLabels.resx so that every feature
/// (back office, mails, exports) names them the same way. Without a culture, the request's UI culture.
/// </summary>
public static class ConsultationLabels
{
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private static readonly ResourceManager Texts = new(typeof(ConsultationLabels));

    public static string Procedure(ProcedureType procedure, CultureInfo? culture = null) =>
        Texts.GetString("Procedure_" + procedure, culture ?? CultureInfo.CurrentUICulture) ?? procedure.ToString();

    public static string Nature(Nature nature, CultureInfo? culture = null) =>
        Texts.GetString("Nature_" + nature, culture ?? CultureInfo.CurrentUICulture) ?? nature.ToString();

    /// <summary>"1,2 Mo", "350 ko", "12 octets": binary multiples, one decimal at most.</summary>
    public static string FileSize(long bytes, CultureInfo? culture = null)
    {
        var ui = culture ?? CultureInfo.CurrentUICulture;
        var number = culture ?? CultureInfo.CurrentCulture;
        string[] units = ["SizeBytes", "SizeKilobytes", "SizeMegabytes", "SizeGigabytes"];
        var value = (double)Math.Max(0, bytes);
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        var amount = unit == 0 ? value.ToString("0", number) : value.ToString("0.#", number);
        return string.Format(number, Texts.GetString(units[unit], ui) ?? "{0}", amount);
    }

    /// <summary>The four formats FileSize uses ("{0} octets" … "{0} Go"), for scripts that format sizes the same way.</summary>
    public static IReadOnlyList<string> FileSizeUnits(CultureInfo? culture = null)
    {
        var ui = culture ?? CultureInfo.CurrentUICulture;
        return [.. new[] { "SizeBytes", "SizeKilobytes", "SizeMegabytes", "SizeGigabytes" }.Select(u => Texts.GetString(u, ui) ?? "{0}")];
    }
}
