using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Tests.Infrastructure.Storage;

/// <summary>An S3 configuration that cannot work is refused at start, by name; a local install needs none of it.</summary>
public sealed class StorageOptionsValidatorTests
{
    private static StorageOptions S3(Action<S3StorageOptions> change)
    {
        var s3 = new S3StorageOptions { ServiceUrl = "http://127.0.0.1:9000", Bucket = "pli", AccessKey = "a", SecretKey = "s" };
        change(s3);
        return new StorageOptions { Provider = StorageProvider.S3, S3 = s3 };
    }

    [Fact]
    public void A_local_store_needs_no_S3_setting()
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = StorageProvider.Local, S3 = new S3StorageOptions { PartSize = 1, TimeoutSeconds = 0 } });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void A_complete_S3_configuration_is_accepted()
    {
        Assert.True(new StorageOptionsValidator().Validate(null, S3(_ => { })).Succeeded);
    }

    [Theory]
    [InlineData("bucket", "Storage:S3:Bucket")]
    [InlineData("part", "Storage:S3:PartSize")]
    [InlineData("secret", "Storage:S3:AccessKey and Storage:S3:SecretKey")]
    [InlineData("url", "Storage:S3:ServiceUrl")]
    [InlineData("timeout", "Storage:S3:TimeoutSeconds")]
    public void A_broken_S3_setting_is_refused_by_its_name(string broken, string named)
    {
        var options = S3(s3 =>
        {
            switch (broken)
            {
                case "bucket": s3.Bucket = " "; break;
                case "part": s3.PartSize = S3StorageOptions.MinimumPartSize - 1; break;
                case "secret": s3.SecretKey = null; break;
                case "url": s3.ServiceUrl = "s3.example/bucket"; break;
                case "timeout": s3.TimeoutSeconds = 0; break;
            }
        });

        var result = new StorageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }
}
