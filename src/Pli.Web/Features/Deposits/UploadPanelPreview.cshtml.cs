using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Pli.Domain.Consultations;
using Pli.Web.Features.Uploads;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// The upload panel with made-up envelopes, to try it (and test it in a browser) before the deposit wizard
/// exists. Development and Testing only: elsewhere the page does not exist.
/// </summary>
[Authorize]
public sealed class UploadPanelPreviewModel(IWebHostEnvironment environment, TimeProvider time, IOptions<UploadOptions> uploads) : PageModel
{
    public UploadPanelModel Panel { get; private set; } = null!;

    /// <param name="deposit">Any GUID: until deposits exist the tus server takes any metadata.</param>
    /// <param name="minutes">Minutes until the made-up deadline, to try the late warning.</param>
    public IActionResult OnGet(Guid? deposit, int? minutes)
    {
        if (!IsAvailable)
        {
            return NotFound();
        }
        if (deposit is null)
        {
            return RedirectToPage(new { deposit = Guid.NewGuid() });
        }
        var now = time.GetUtcNow();
        var deadline = now.AddMinutes(Math.Clamp(minutes ?? 180, 1, 60 * 24 * 30));
        ReceivedFileModel[] received =
        [
            new(Guid.Parse("6f1c1f5e-2d1b-4f57-9a53-0c9e6b1d2a01"), "DC1 - Lettre de candidature.pdf", 184_320,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", now.AddMinutes(-42)),
        ];
        Panel = new UploadPanelModel(deposit.Value, deadline, now, uploads.Value.MaxSize, FilePolicy.DefaultAcceptedFormats,
        [
            new UploadEnvelopeModel("candidature", null, "Enveloppe de candidature", received),
            new UploadEnvelopeModel("offre", 1, "Enveloppe d'offre — lot 1", []),
        ]);
        return Page();
    }

    /// <summary>The real wizard removes the file; the preview only comes back.</summary>
    public IActionResult OnPostRemoveFile(Guid? deposit) =>
        IsAvailable ? RedirectToPage(new { deposit }) : NotFound();

    public IActionResult OnPostSubmit(Guid? deposit) =>
        IsAvailable ? RedirectToPage(new { deposit }) : NotFound();

    private bool IsAvailable => environment.IsDevelopment() || environment.IsEnvironment("Testing");
}
