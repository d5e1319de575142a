"""WavWriter: records an audio subscription as a 16-bit PCM WAV file whose timing stays true."""
import wave

from ._messages import gateway as pb


class WavWriter:
    """Appends each L16 frame's samples, and each gap as silence of the missed frames' duration (missed_count x the
    frames' frame_duration_ms; a gap that does not say how many were missed adds nothing). Subscribe with
    ``format=wav.format`` so the gateway sends what the file holds. The RIFF header gets its final sizes on close(),
    so close it on every way out (a ``with`` block; turn SIGTERM into an exception, see examples/wav.py).

        with WavWriter("meeting.wav") as wav:
            for item in gateway.subscribe_audio(instance_id=meeting_uuid, format=wav.format):
                wav.write(item)
    """

    def __init__(self, path, sample_rate=16000, channels=1):
        if channels not in (1, 2):
            raise ValueError("channels: 1 (mono) or 2 (stereo)")
        self.sample_rate, self.channels = sample_rate, channels
        self.data_bytes = 0
        self._frame_ms = 0
        self._pending_missed = 0
        self._file = wave.open(path, "wb")  # patches the header's sizes on close
        self._file.setnchannels(channels)
        self._file.setsampwidth(2)
        self._file.setframerate(sample_rate)

    @property
    def format(self):
        """The format to subscribe with: L16 at this file's rate and channel count."""
        return pb.AudioFormatRequest(codec=pb.AUDIO_CODEC_L16, sample_rate_hz=self.sample_rate, channels=self.channels)

    @property
    def duration(self):
        """Seconds of audio written so far."""
        return self.data_bytes / (self.sample_rate * self.channels * 2)

    def write(self, item):
        """Appends a subscription item: a frame's samples or a gap's silence; the session's end adds nothing."""
        if item.is_message:
            self.write_frame(item.message)
        elif item.is_gap:
            self.write_gap(item.gap)

    def write_frame(self, frame):
        f = frame.format
        if (f.codec, f.sample_rate_hz, f.channels) != (pb.AUDIO_CODEC_L16, self.sample_rate, self.channels):
            raise ValueError("frame %d is %s %d Hz %d ch, not L16 %d Hz %d ch: subscribe with format=wav.format" % (
                frame.header.sequence, pb.AudioCodec.Name(f.codec), f.sample_rate_hz, f.channels, self.sample_rate, self.channels))
        if f.frame_duration_ms:
            self._frame_ms = f.frame_duration_ms
            self.write_silence(self._pending_missed * self._frame_ms / 1000)
            self._pending_missed = 0
        self._file.writeframesraw(frame.data)
        self.data_bytes += len(frame.data)

    def write_gap(self, gap):
        """Silence for the frames the gap says were missed (held back until a frame gives their duration)."""
        if not self._frame_ms:
            self._pending_missed += gap.missed_count
        else:
            self.write_silence(gap.missed_count * self._frame_ms / 1000)

    def write_silence(self, seconds):
        size = round(seconds * self.sample_rate) * self.channels * 2
        if size:
            self._file.writeframesraw(bytes(size))
            self.data_bytes += size

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
