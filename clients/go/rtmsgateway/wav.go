package rtmsgateway

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
)

const wavHeaderBytes = 44

// WavWriter records an audio subscription as a 16-bit PCM WAV file whose timing stays true: each L16 frame's samples
// are appended, and each gap as silence of the missed frames' duration (missed_count × the frames' frame_duration_ms;
// a gap that does not say how many were missed adds nothing). Subscribe with WithAudioFormat(wav.Format()) so the
// gateway sends what the file holds. Close patches the RIFF header with the final sizes, so close it on every way out
// (defer it, and end the loop on SIGINT/SIGTERM with signal.NotifyContext).
//
//	wav, _ := rtmsgateway.CreateWav("meeting.wav", 16000, 1)
//	defer wav.Close()
//	sub := gw.SubscribeAudio(ctx, target, rtmsgateway.WithAudioFormat(wav.Format()))
//	for item, err := sub.Next(ctx); err == nil; item, err = sub.Next(ctx) { wav.Write(item) }
type WavWriter struct {
	w             io.WriteSeeker
	closer        io.Closer
	sampleRate    int
	channels      int
	dataBytes     int64
	frameMs       uint32
	pendingMissed uint64
	closed        bool
}

// CreateWav creates (or truncates) the file at path.
func CreateWav(path string, sampleRate, channels int) (*WavWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	wav, err := NewWavWriter(f, sampleRate, channels)
	if err != nil {
		f.Close()
		return nil, err
	}
	wav.closer = f
	return wav, nil
}

// NewWavWriter writes to w, positioned at the file's start; Close does not close w.
func NewWavWriter(w io.WriteSeeker, sampleRate, channels int) (*WavWriter, error) {
	if sampleRate <= 0 || (channels != 1 && channels != 2) {
		return nil, fmt.Errorf("rtmsgateway: WAV of %d Hz, %d channels: need a positive rate and 1 or 2 channels", sampleRate, channels)
	}
	wav := &WavWriter{w: w, sampleRate: sampleRate, channels: channels}
	if _, err := w.Write(wav.header()); err != nil {
		return nil, err
	}
	return wav, nil
}

// Format is the format to subscribe with: L16 at this file's rate and channel count.
func (wav *WavWriter) Format() *gatewayv1.AudioFormatRequest {
	return &gatewayv1.AudioFormatRequest{Codec: gatewayv1.AudioCodec_AUDIO_CODEC_L16, SampleRateHz: uint32(wav.sampleRate), Channels: uint32(wav.channels)}
}

// DataBytes is how many bytes of samples were written (frames and silence).
func (wav *WavWriter) DataBytes() int64 { return wav.dataBytes }

// Seconds is how much audio the file holds so far.
func (wav *WavWriter) Seconds() float64 {
	return float64(wav.dataBytes) / float64(wav.sampleRate*wav.channels*2)
}

// Write appends a subscription item: a frame's samples or a gap's silence; the session's end adds nothing.
func (wav *WavWriter) Write(item Item[*gatewayv1.AudioFrame]) error {
	switch item.Kind {
	case KindMessage:
		return wav.WriteFrame(item.Message)
	case KindGap:
		return wav.WriteGap(item.Gap)
	}
	return nil
}

// WriteFrame appends one frame, which must be L16 at this file's rate and channel count.
func (wav *WavWriter) WriteFrame(frame *gatewayv1.AudioFrame) error {
	f := frame.GetFormat()
	if f.GetCodec() != gatewayv1.AudioCodec_AUDIO_CODEC_L16 || int(f.GetSampleRateHz()) != wav.sampleRate || int(f.GetChannels()) != wav.channels {
		return fmt.Errorf("rtmsgateway: frame %d is %s %d Hz %d ch, not L16 %d Hz %d ch: subscribe with WithAudioFormat(wav.Format())",
			frame.GetHeader().GetSequence(), f.GetCodec(), f.GetSampleRateHz(), f.GetChannels(), wav.sampleRate, wav.channels)
	}
	if f.GetFrameDurationMs() > 0 {
		wav.frameMs = f.GetFrameDurationMs()
		if err := wav.WriteSilence(float64(wav.pendingMissed) * float64(wav.frameMs) / 1000); err != nil {
			return err
		}
		wav.pendingMissed = 0
	}
	return wav.append(frame.GetData())
}

// WriteGap appends silence for the frames gap says were missed (held back until a frame gives their duration).
func (wav *WavWriter) WriteGap(gap *gatewayv1.Gap) error {
	if wav.frameMs == 0 {
		wav.pendingMissed += gap.GetMissedCount()
		return nil
	}
	return wav.WriteSilence(float64(gap.GetMissedCount()) * float64(wav.frameMs) / 1000)
}

// WriteSilence appends seconds of silence.
func (wav *WavWriter) WriteSilence(seconds float64) error {
	size := int64(math.Round(seconds*float64(wav.sampleRate))) * int64(wav.channels) * 2
	zeros := make([]byte, 4096)
	for left := size; left > 0; left -= int64(len(zeros)) {
		if err := wav.append(zeros[:min64(left, int64(len(zeros)))]); err != nil {
			return err
		}
	}
	return nil
}

// Close patches the header with the final sizes and closes the file (a second Close does nothing).
func (wav *WavWriter) Close() error {
	if wav.closed {
		return nil
	}
	wav.closed = true
	_, err := wav.w.Seek(0, io.SeekStart)
	if err == nil {
		_, err = wav.w.Write(wav.header())
	}
	if wav.closer != nil {
		if cerr := wav.closer.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (wav *WavWriter) append(data []byte) error {
	if wav.closed {
		return errors.New("rtmsgateway: WavWriter is closed")
	}
	n, err := wav.w.Write(data)
	wav.dataBytes += int64(n)
	return err
}

func (wav *WavWriter) header() []byte {
	size := uint32(min64(wav.dataBytes, math.MaxUint32-36))
	h := make([]byte, wavHeaderBytes)
	copy(h, "RIFF")
	binary.LittleEndian.PutUint32(h[4:], 36+size)
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16) // PCM format chunk
	binary.LittleEndian.PutUint16(h[20:], 1)  // PCM
	binary.LittleEndian.PutUint16(h[22:], uint16(wav.channels))
	binary.LittleEndian.PutUint32(h[24:], uint32(wav.sampleRate))
	binary.LittleEndian.PutUint32(h[28:], uint32(wav.sampleRate*wav.channels*2))
	binary.LittleEndian.PutUint16(h[32:], uint16(wav.channels*2))
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], size)
	return h
}

func min64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}
