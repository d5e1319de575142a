using System.ComponentModel.DataAnnotations;

namespace RtmsGateway.Configuration;

/// <summary>Fan-out, replay and limits per session (section <c>Fanout</c>).</summary>
public sealed class FanoutOptions
{
    public const string Section = "Fanout";

    /// <summary>How long delivered audio and video stay in the replay buffer for late and resuming subscribers. Transcripts and
    /// events are not aged out: they are kept for the session's whole life, bounded by <see cref="HistoryMaxBytesPerSession"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReplayRetention { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of audio or video messages kept per channel regardless of age (bounds memory).</summary>
    [Range(16, 1_000_000)]
    public int ReplayCapacity { get; set; } = 4096;

    /// <summary>Bytes one session's audio and video replay buffers hold at most (video 70 %, audio 20 %).</summary>
    [Range(64 * 1024, 16L * 1024 * 1024 * 1024)]
    public long ReplayMaxBytesPerSession { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Bytes of transcripts and events one session keeps in memory for its whole life, for <c>from_start</c> and resuming
    /// readers: half for transcripts, half for events. Beyond its half a channel drops its oldest, and a reader asking for
    /// them gets a RETENTION_EXCEEDED Gap (in cluster mode they are read from the Redis history instead, while it has them).
    /// </summary>
    [Range(64 * 1024, 4L * 1024 * 1024 * 1024)]
    public long HistoryMaxBytesPerSession { get; set; } = 8L * 1024 * 1024;

    /// <summary>Bytes all replay buffers and transcript/event histories of this replica hold at most; beyond it a channel
    /// that adds evicts its own oldest.</summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024 * 1024)]
    public long ReplayMaxBytesPerReplica { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Queue per audio/video subscriber; when full the oldest frames are dropped and a gap is announced.</summary>
    [Range(4, 100_000)]
    public int MediaSubscriberQueue { get; set; } = 256;

    /// <summary>Queue per transcript/event subscriber; when full the call ends with RESOURCE_EXHAUSTED and a resume point.</summary>
    [Range(4, 100_000)]
    public int ReliableSubscriberQueue { get; set; } = 4096;

    [Range(1, 1_000_000)]
    public int MaxSubscribersPerSession { get; set; } = 2000;

    /// <summary>A subscriber whose connection accepts nothing for this long (one write or flush pending throughout: a frozen
    /// or partitioned consumer that never closed its connection) has its call aborted, freeing what it holds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SubscriberStallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Formats one session's audio is converted to at most at a time (SubscribeAudioRequest.format; subscribers asking
    /// for the same format share one conversion). Each costs one decode/resample/encode pass per frame on the owner, and
    /// its own replay buffer (the audio share of ReplayMaxBytesPerSession). 0 turns conversion off. Beyond it:
    /// RESOURCE_EXHAUSTED, reason CONVERSION_LIMIT.</summary>
    [Range(0, 32)]
    public int MaxAudioFormatsPerSession { get; set; } = 4;

    /// <summary>Per-speaker audio (AUDIO_MULTI_STREAMS) needs codec and resampler state per speaker: states kept per
    /// converted format at most; beyond it the least recently heard speaker's state is dropped (its next frame starts anew).</summary>
    [Range(1, 10_000)]
    public int MaxAudioSpeakersPerFormat { get; set; } = 32;

    /// <summary>How long a converted format is kept after its last subscriber left (a resuming subscriber finds its replay).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AudioFormatIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stopped session stays listed and readable.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StoppedSessionRetention { get; set; } = TimeSpan.FromMinutes(2);
}
