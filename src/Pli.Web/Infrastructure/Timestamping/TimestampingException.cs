namespace Pli.Web.Infrastructure.Timestamping;

/// <summary>
/// No valid time-stamp token could be had: the authority is unreachable, refused, or answered something
/// that does not prove the asked digest. Nothing may be recorded as time-stamped after this exception.
/// </summary>
public sealed class TimestampingException(string message, Exception? inner = null) : Exception(message, inner);
