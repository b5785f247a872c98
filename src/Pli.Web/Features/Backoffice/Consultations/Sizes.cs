using System.Globalization;

namespace Pli.Web.Features.Backoffice.Consultations;

public static class Sizes
{
    /// <summary>"1,5 Mo" in French, "1.5 MB" in English.</summary>
    public static string Format(long bytes)
    {
        var culture = CultureInfo.CurrentUICulture;
        var french = culture.TwoLetterISOLanguageName == "fr";
        string[] units = french ? ["o", "Ko", "Mo", "Go"] : ["B", "KB", "MB", "GB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} {units[0]}" : value.ToString("0.#", culture) + " " + units[unit];
    }
}
