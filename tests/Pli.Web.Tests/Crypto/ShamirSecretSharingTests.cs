using System.Security.Cryptography;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Tests.Crypto;

public sealed class ShamirSecretSharingTests
{
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Multiply_MatchesTheFips197Example()
    {
        Assert.Equal(0xC1, ShamirSecretSharing.Multiply(0x57, 0x83));
        Assert.Equal(0xFE, ShamirSecretSharing.Multiply(0x57, 0x13));
    }

    [Fact]
    public void Inverse_OfEveryNonZeroByte_MultipliesToOne()
    {
        for (var a = 1; a < 256; a++)
        {
            Assert.Equal(1, ShamirSecretSharing.Multiply((byte)a, ShamirSecretSharing.Inverse((byte)a)));
        }
    }

    [Fact]
    public void Combine_AnyThreeOfFiveShares_RebuildsTheSecret()
    {
        var shares = ShamirSecretSharing.Split(_secret, 5, 3);

        foreach (var subset in Subsets(5, 3))
        {
            Assert.Equal(_secret, ShamirSecretSharing.Combine([.. subset.Select(i => shares[i])]));
        }
    }

    [Fact]
    public void Combine_MoreThanTheThreshold_RebuildsTheSecretToo()
    {
        var shares = ShamirSecretSharing.Split(_secret, 5, 2);

        Assert.Equal(_secret, ShamirSecretSharing.Combine(shares));
        Assert.Equal(_secret, ShamirSecretSharing.Combine([shares[4], shares[1]]));
    }

    [Fact]
    public void Combine_OneShareFewerThanTheThreshold_DoesNotGiveTheSecret()
    {
        var shares = ShamirSecretSharing.Split(_secret, 3, 3);

        foreach (var subset in Subsets(3, 2))
        {
            Assert.NotEqual(_secret, ShamirSecretSharing.Combine([.. subset.Select(i => shares[i])]));
        }
    }

    /// <summary>
    /// k − 1 shares are consistent with every possible secret: for each candidate value, exactly one
    /// value of one more share makes the set interpolate to it. They therefore tell nothing of the secret.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ThresholdMinusOneShares_AreConsistentWithEverySecretByte(int threshold)
    {
        var shares = ShamirSecretSharing.Split([0x42], threshold + 1, threshold);
        var known = shares.Take(threshold - 1).ToList();
        var reached = new int[256];

        for (var y = 0; y < 256; y++)
        {
            var extra = new byte[] { (byte)threshold, (byte)y };
            reached[ShamirSecretSharing.Combine([.. known, extra])[0]]++;
        }

        Assert.All(reached, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Combine_WithOneWrongShare_GivesAWrongSecret()
    {
        var shares = ShamirSecretSharing.Split(_secret, 3, 2);
        var forged = (byte[])shares[1].Clone();
        forged[5] ^= 0x01;

        var rebuilt = ShamirSecretSharing.Combine([shares[0], forged]);

        Assert.NotEqual(_secret, rebuilt);
        Assert.Equal(_secret.Length, rebuilt.Length);
    }

    [Fact]
    public void Split_GivesDistinctXFromOne_AndFreshRandomnessEachTime()
    {
        var first = ShamirSecretSharing.Split(_secret, 4, 2);
        var second = ShamirSecretSharing.Split(_secret, 4, 2);

        Assert.Equal([1, 2, 3, 4], first.Select(s => (int)s[0]));
        Assert.All(first, s => Assert.Equal(33, s.Length));
        Assert.NotEqual(first[0], second[0]);
    }

    [Fact]
    public void Combine_TwoSharesWithTheSameX_IsRefused()
    {
        var shares = ShamirSecretSharing.Split(_secret, 3, 2);

        Assert.Throws<ArgumentException>(() => ShamirSecretSharing.Combine([shares[0], shares[0]]));
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(3, 0)]
    [InlineData(256, 2)]
    public void Split_WithAnImpossibleThreshold_IsRefused(int shares, int threshold)
    {
        Assert.ThrowsAny<ArgumentException>(() => ShamirSecretSharing.Split(_secret, shares, threshold));
    }

    private static IEnumerable<int[]> Subsets(int n, int k) =>
        k == 0 ? [[]] : Enumerable.Range(0, n).SelectMany(first => Subsets(n, k - 1).Where(rest => rest.All(r => r > first)).Select(rest => (int[])[first, .. rest]));
}
