using Pli.Domain.Common;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>Someone tried to use a consultation's private key before the deadline for receipt of tenders.</summary>
public sealed class OpeningTooEarlyException(DateTime deadlineUtc)
    : Exception($"Les plis ne peuvent pas être ouverts avant la date limite de remise des plis ({ParisTime.Format(deadlineUtc, ParisTime.French, seconds: true)}).")
{
    public const string ErrorCode = "opening.too-early";

    public string Code => ErrorCode;

    public DateTime DeadlineUtc { get; } = deadlineUtc;
}
