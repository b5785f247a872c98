namespace Pli.Web.Features.Help;

/// <summary>
/// The help centre's addresses, and the anchors of the deposit guide's steps: the wizard's pages link to
/// the section that explains them, so these names are part of the pages' contract (a test follows each link).
/// </summary>
public static class HelpPaths
{
    public const string Index = "/aide";
    public const string Guide = "/aide/deposer";
    public const string Workstation = "/aide/test-poste";
    public const string Formats = "/aide/formats";
    public const string Download = "/aide/telechargement";
    public const string Timestamping = "/aide/horodatage";
    public const string Messaging = "/aide/messagerie";
    public const string Faq = "/aide/questions-frequentes";
    public const string Assistance = "/aide/assistance";

    /// <summary>The articles in the order of the help centre's menu, with the key of their texts.</summary>
    public static readonly IReadOnlyList<(string Path, string Key)> Articles =
    [
        (Guide, "Guide"), (Workstation, "Workstation"), (Formats, "Formats"), (Download, "Download"),
        (Timestamping, "Timestamping"), (Messaging, "Messaging"), (Faq, "Faq"), (Assistance, "Assistance"),
    ];

    /// <summary>The deposit guide's steps: anchor, key of the texts, and the screenshot the browser journey takes of it.</summary>
    public static readonly IReadOnlyList<GuideStep> GuideSteps =
    [
        new("recherche", "Search", "depot-01-recherche.png"),
        new("consultation", "Consultation", "depot-02-consultation.png"),
        new("connexion", "SignIn", "depot-03-connexion.png"),
        new("reponse", "Answer", "depot-04-reponse.png"),
        new("fichiers", "Files", "depot-05-fichiers.png"),
        new("validation", "Validate", "depot-06-validation.png"),
        new("confirmation", "Confirmation", "depot-07-confirmation.png"),
        new("mes-depots", "MyDeposits", "depot-08-mes-depots.png"),
    ];

    /// <summary>The company's reply in the secure messaging, taken by the communication journey.</summary>
    public const string MessagingScreenshot = "communication-3-reponse.png";

    /// <summary>
    /// The screenshot of a guide step in the reader's language: the English deposit journey takes its own of each step
    /// ("depot-01-recherche.en.png"), so that the English guide shows the buttons it names.
    /// </summary>
    public static string GuideScreenshot(GuideStep step, System.Globalization.CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "en" ? English(step.Screenshot) : step.Screenshot;

    public static string English(string screenshot) => Path.ChangeExtension(screenshot, null) + ".en.png";

    /// <summary>Every screenshot a help page shows: the browser tests write each of them (HelpCaptures).</summary>
    public static IEnumerable<string> AllScreenshots =>
        GuideSteps.Select(s => s.Screenshot).Concat(GuideSteps.Select(s => English(s.Screenshot))).Append(MessagingScreenshot);

    /// <summary>Where the screenshots are served from (wwwroot/aide/captures, written by the browser tests).</summary>
    public const string Captures = "/aide/captures/";

    public static string Step(string anchor) =>
        GuideSteps.Any(s => s.Anchor == anchor) ? Guide + "#" + anchor : throw new ArgumentException($"No step '{anchor}' in the deposit guide.", nameof(anchor));
}

public sealed record GuideStep(string Anchor, string Key, string Screenshot);
