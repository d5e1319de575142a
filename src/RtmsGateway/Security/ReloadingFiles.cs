using System.Security.Cryptography;

namespace RtmsGateway.Security;

/// <summary>
/// A value read from files (a certificate and its key, a CA bundle) that follows the files when they change, as a
/// Kubernetes Secret volume changes them (new files in a new directory, the <c>..data</c> symlink swapped): at most every
/// <see cref="CheckInterval"/>, on use, it hashes the files' contents and loads them again when they differ. When the
/// new files do not load (caught half-written), the last good value stays and the next check tries again. Thread-safe.
/// </summary>
internal sealed class ReloadingFiles<T>(IReadOnlyList<string> paths, Func<T> load, TimeProvider time) where T : class
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private T? _value;
    private byte[]? _hash;
    private long _checkedAt;

    /// <summary>The value of the files as they are now (checked at most every <see cref="CheckInterval"/>).</summary>
    public T Current
    {
        get
        {
            lock (_lock)
            {
                if (_value is null || time.GetElapsedTime(_checkedAt) >= CheckInterval)
                {
                    Refresh();
                }
                return _value!;
            }
        }
    }

    private void Refresh()
    {
        _checkedAt = time.GetTimestamp();
        byte[] hash;
        try
        {
            hash = Hash();
        }
        catch (IOException) when (_value is not null)
        {
            // Mid-swap (a file briefly missing): keep what works.
            return;
        }
        if (_value is not null && _hash is not null && hash.AsSpan().SequenceEqual(_hash))
        {
            return;
        }
        try
        {
            _value = load();
            _hash = hash;
        }
        catch (Exception ex) when (_value is not null && ex is IOException or CryptographicException or ArgumentException)
        {
            // Half-written or mismatched (a new certificate beside the old key): retried at the next check.
        }
    }

    private byte[] Hash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            sha.AppendData(File.ReadAllBytes(path));
            sha.AppendData([0]);
        }
        return sha.GetHashAndReset();
    }
}
