using Microsoft.Extensions.Options;
using MimeKit;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// Writes each mail as an .eml file: the embedded default, so that a newcomer without an SMTP
/// server still receives confirmation links and notices (listed at /dev/courriels in Development).
/// </summary>
public sealed class PickupDirectoryMailTransport : IMailTransport
{
    private readonly TimeProvider _time;

    public PickupDirectoryMailTransport(IOptions<MailOptions> options, IHostEnvironment environment, TimeProvider time)
    {
        PickupDirectory = ResolvePickupDirectory(options.Value, environment);
        System.IO.Directory.CreateDirectory(PickupDirectory);
        _time = time;
    }

    public string PickupDirectory { get; }

    public static string ResolvePickupDirectory(MailOptions options, IHostEnvironment environment) =>
        Path.IsPathRooted(options.PickupDirectory) ? options.PickupDirectory : Path.Combine(environment.ContentRootPath, options.PickupDirectory);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var name = $"{_time.GetUtcNow():yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml";
        var temp = Path.Combine(PickupDirectory, name + ".tmp");
        await message.WriteToAsync(temp, cancellationToken);
        File.Move(temp, Path.Combine(PickupDirectory, name));
    }
}
