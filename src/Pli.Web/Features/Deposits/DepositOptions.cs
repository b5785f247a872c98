using System.ComponentModel.DataAnnotations;
using Pli.Domain.Deposits;

namespace Pli.Web.Features.Deposits;

public sealed class DepositOptions
{
    public const string Section = "Deposits";

    /// <summary>Largest file of a pli; 2 GiB by default (and never more than the tus server's Uploads:MaxSize).</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileSize { get; set; } = DepositLimits.Default.MaxFileSize;

    /// <summary>Largest pli, all envelopes together.</summary>
    [Range(1, long.MaxValue)]
    public long MaxDepositSize { get; set; } = DepositLimits.Default.MaxDepositSize;

    /// <summary>Whether the permanent test consultation (PLI-TEST) is kept open for companies to rehearse.</summary>
    public bool TestConsultation { get; set; } = true;

    /// <summary>How often incomplete receipts (no token or no mail yet) are looked for, in seconds.</summary>
    [Range(1, 3600)]
    public int ReceiptCompletionSeconds { get; set; } = 30;

    /// <summary>
    /// How old an incomplete receipt must be before the completion takes it over, in seconds: the seal request
    /// finishes its own receipt within a few seconds; a receipt it left (a killed process, the TSA down) is taken
    /// after this, and claimed for twice as long.
    /// </summary>
    [Range(1, 3600)]
    public int ReceiptCompletionGraceSeconds { get; set; } = 60;

    /// <summary>Whether this process finishes incomplete receipts (tests run the completion themselves).</summary>
    public bool ReceiptCompletionWorkerEnabled { get; set; } = true;

    public DepositLimits Limits => new(MaxFileSize, MaxDepositSize);
}
