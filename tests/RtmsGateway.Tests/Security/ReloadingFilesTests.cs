using Microsoft.Extensions.Time.Testing;
using RtmsGateway.Security;

namespace RtmsGateway.Tests.Security;

/// <summary>The rules by which a rotated certificate or CA bundle is picked up (fake clock): at most every check
/// interval, only when the contents changed, and never a half-written file in place of the last good value.</summary>
public sealed class ReloadingFilesTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rtms-reloading-");
    private readonly FakeTimeProvider _time = new();
    private int _loads;

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private ReloadingFiles<string> Files(string name) => new([PathOf(name)], () =>
    {
        _loads++;
        var text = File.ReadAllText(PathOf(name));
        return text.StartsWith("good", StringComparison.Ordinal) ? text : throw new IOException("half-written");
    }, _time);

    [Fact]
    public void Changed_contents_are_loaded_after_the_check_interval_and_not_before()
    {
        File.WriteAllText(PathOf("a"), "good 1");
        var files = Files("a");
        Assert.Equal("good 1", files.Current);
        File.WriteAllText(PathOf("a"), "good 2");
        Assert.Equal("good 1", files.Current);
        _time.Advance(ReloadingFiles<string>.CheckInterval);
        Assert.Equal("good 2", files.Current);
    }

    [Fact]
    public void Unchanged_contents_are_not_loaded_again()
    {
        File.WriteAllText(PathOf("b"), "good");
        var files = Files("b");
        _ = files.Current;
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(ReloadingFiles<string>.CheckInterval);
            Assert.Equal("good", files.Current);
        }
        Assert.Equal(1, _loads);
    }

    [Fact]
    public void A_file_that_does_not_load_keeps_the_last_good_value_until_it_does()
    {
        File.WriteAllText(PathOf("c"), "good 1");
        var files = Files("c");
        _ = files.Current;
        File.WriteAllText(PathOf("c"), "garbage");
        _time.Advance(ReloadingFiles<string>.CheckInterval);
        Assert.Equal("good 1", files.Current);
        File.Delete(PathOf("c"));
        _time.Advance(ReloadingFiles<string>.CheckInterval);
        Assert.Equal("good 1", files.Current);
        File.WriteAllText(PathOf("c"), "good 2");
        _time.Advance(ReloadingFiles<string>.CheckInterval);
        Assert.Equal("good 2", files.Current);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
