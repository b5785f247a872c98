using System.ComponentModel.DataAnnotations;

namespace Pli.Web.Features.Alerts;

public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Hour of the daily digest, Paris wall-clock time; one that exists every day (clocks change at 2 and 3 a.m.).</summary>
    [Range(4, 23)]
    public int DigestHourParis { get; set; } = 7;

    /// <summary>Whether this process runs the digest worker (tests call the digest themselves).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How often the worker looks whether digests are due, in seconds (real time).</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 300;
}
