using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Storage;

/// <summary>
/// Files in an S3-compatible bucket, for several instances sharing one store. A file of unknown length is sent
/// as it is read: one PutObject when it fits in one part, else a multipart upload whose parts leave as they fill,
/// at most two part buffers per call (one sent while the next is read). A failed or cancelled upload is aborted,
/// so no object and no pending upload is left under the key. "Durable" is S3's acknowledgement.
/// </summary>
public sealed class S3FileStore : IFileStore, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly S3StorageOptions _options;
    private readonly ILogger<S3FileStore> _logger;
    private readonly SemaphoreSlim _bucketLock = new(1, 1);
    private volatile bool _bucketReady;

    public S3FileStore(IOptions<StorageOptions> options, ILogger<S3FileStore> logger)
    {
        _options = options.Value.S3;
        _logger = logger;
        _client = CreateClient(_options);
        _bucketReady = !_options.CreateBucket;
    }

    private string Bucket => _options.Bucket;

    /// <summary>A client for S3-compatible servers as much as for AWS.</summary>
    internal static AmazonS3Client CreateClient(S3StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // SDK v4 otherwise adds CRC trailers in aws-chunked bodies to every upload, which many
            // S3-compatible servers refuse; each request's payload is signed with its SHA-256 instead.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            MaxErrorRetry = 3,
        };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        return string.IsNullOrWhiteSpace(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public async Task<StoredFile> SaveAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        StorageKeys.Require(key);
        await EnsureBucketAsync(cancellationToken);
        var partSize = _options.PartSize;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var current = ArrayPool<byte>.Shared.Rent(partSize);
        var spare = ArrayPool<byte>.Shared.Rent(partSize);
        try
        {
            async Task<int> FillAsync(byte[] buffer)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, partSize), partSize, throwOnEndOfStream: false, cancellationToken);
                hash.AppendData(buffer, 0, read);
                size += read;
                return read;
            }

            var currentLength = await FillAsync(current);
            // One part or less: one PutObject. The second read tells a file of exactly one part from a longer one.
            var spareLength = currentLength < partSize ? 0 : await FillAsync(spare);
            if (spareLength == 0)
            {
                await PutAsync(key, current, currentLength, cancellationToken);
                return new StoredFile(key, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
            await MultipartAsync(key, current, currentLength, spare, spareLength, FillAsync, cancellationToken);
            return new StoredFile(key, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(spare);
        }
    }

    /// <summary>
    /// Sends <paramref name="first"/> (a full part) while <paramref name="next"/> holds the bytes read after it,
    /// then goes on reading into whichever buffer is free; aborts the upload on any failure.
    /// </summary>
    private async Task MultipartAsync(string key, byte[] first, int firstLength, byte[] next, int nextLength, Func<byte[], Task<int>> fillAsync, CancellationToken cancellationToken)
    {
        var started = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key }, cancellationToken);
        var uploadId = started.UploadId;
        var parts = new List<PartETag>();
        Task<PartETag>? sending = null;
        try
        {
            var partNumber = 1;
            sending = UploadPartAsync(key, uploadId, partNumber, first, firstLength, cancellationToken);
            var (reading, readingLength, free) = (next, nextLength, first);
            // Loop invariant: one part in flight (in the buffer "free" will be once it is sent), "reading" holds readingLength > 0 bytes.
            while (true)
            {
                parts.Add(await sending);
                sending = null;
                partNumber++;
                if (readingLength < _options.PartSize)
                {
                    parts.Add(await UploadPartAsync(key, uploadId, partNumber, reading, readingLength, cancellationToken));
                    break;
                }
                sending = UploadPartAsync(key, uploadId, partNumber, reading, readingLength, cancellationToken);
                (reading, free) = (free, reading);
                readingLength = await fillAsync(reading);
                if (readingLength == 0)
                {
                    parts.Add(await sending);
                    sending = null;
                    break;
                }
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId, PartETags = parts }, cancellationToken);
        }
        catch (Exception failure)
        {
            if (sending is not null)
            {
                // The part in flight still reads its buffer: it must end before the buffer goes back to the pool.
                try
                {
                    await sending;
                }
                catch (Exception)
                {
                    // Its failure, if any, is the same story as the one being thrown.
                }
            }
            await AbortAsync(key, uploadId, failure);
            throw;
        }
    }

    private async Task AbortAsync(string key, string uploadId, Exception failure)
    {
        try
        {
            // Not the caller's token: a cancelled upload is cleaned up all the same.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or OperationCanceledException or IOException)
        {
            // The bucket's lifecycle rule (docs/storage.md) removes what this could not.
            _logger.LogWarning(e, "Could not abort multipart upload {UploadId} of {Key} after {Failure}", uploadId, key, failure.GetType().Name);
        }
    }

    private async Task<PartETag> UploadPartAsync(string key, string uploadId, int partNumber, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, length, writable: false);
        var response = await _client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = Bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = partNumber,
            PartSize = length,
            InputStream = body,
            UseChunkEncoding = false,
        }, cancellationToken);
        return new PartETag(partNumber, response.ETag);
    }

    private async Task PutAsync(string key, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, length, writable: false);
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = body,
            AutoCloseStream = false,
            UseChunkEncoding = false,
        }, cancellationToken);
    }

    public async Task ImportAsync(string key, string sourcePath, CancellationToken cancellationToken = default)
    {
        StorageKeys.Require(key);
        if (!File.Exists(sourcePath))
        {
            if (await ExistsAsync(key, cancellationToken))
            {
                return;
            }
            throw new FileNotFoundException($"No file to import at '{sourcePath}', and nothing under key '{key}'.", sourcePath);
        }
        await using (var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            await SaveAsync(key, source, cancellationToken);
        }
        // Only once S3 has the object: a crash before this line leaves the source for the retry.
        File.Delete(sourcePath);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        StorageKeys.Require(key);
        await EnsureBucketAsync(cancellationToken);
        var head = await HeadAsync(key, cancellationToken) ?? throw new FileNotFoundException($"No stored file under key '{key}'.");
        return new S3ReadStream(_client, Bucket, key, head.ContentLength, head.ETag);
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        StorageKeys.Require(key);
        await EnsureBucketAsync(cancellationToken);
        return await HeadAsync(key, cancellationToken) is not null;
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        StorageKeys.Require(key);
        await EnsureBucketAsync(cancellationToken);
        // S3 answers 204 for a key that is not there: deleting twice is fine, as on disk.
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
    }

    public async Task DeleteFolderAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var folder = prefix.TrimEnd('/');
        StorageKeys.Require(folder);
        await EnsureBucketAsync(cancellationToken);
        // A folder: "uploads/abc/", so that "uploads/abcd/…" is not under it.
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = folder + "/", MaxKeys = 1000 };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken);
            var objects = page.S3Objects ?? [];
            if (objects.Count > 0)
            {
                var deleted = await _client.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = Bucket,
                    Quiet = true,
                    Objects = [.. objects.Select(o => new KeyVersion { Key = o.Key })],
                }, cancellationToken);
                if (deleted.DeleteErrors is { Count: > 0 } errors)
                {
                    throw new IOException($"Could not delete {errors.Count} objects under '{folder}/', first {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
                }
            }
            if (page.IsTruncated != true)
            {
                return;
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady)
        {
            return;
        }
        await _bucketLock.WaitAsync(cancellationToken);
        try
        {
            if (_bucketReady)
            {
                return;
            }
            try
            {
                await _client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Created by an earlier start or another instance.
            }
            _bucketReady = true;
        }
        finally
        {
            _bucketLock.Release();
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _bucketLock.Dispose();
    }
}
