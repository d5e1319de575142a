package rtmsgateway

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
)

func l16Frame(sequence uint64, samples ...int16) Item[*gatewayv1.AudioFrame] {
	data := make([]byte, 2*len(samples))
	for i, s := range samples {
		binary.LittleEndian.PutUint16(data[2*i:], uint16(s))
	}
	return Item[*gatewayv1.AudioFrame]{Kind: KindMessage, Sequence: sequence, Message: &gatewayv1.AudioFrame{
		Header: &gatewayv1.MessageHeader{Sequence: sequence},
		Format: &gatewayv1.AudioFormat{Codec: gatewayv1.AudioCodec_AUDIO_CODEC_L16, SampleRateHz: 16000, Channels: 1, FrameDurationMs: 20},
		Data:   data,
	}}
}

func TestAWavFileHoldsTheFramesAndTheSilenceOfEveryGapWithAFinalHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meeting.wav")
	wav, err := CreateWav(path, 16000, 1)
	if err != nil {
		t.Fatal(err)
	}
	gap := Item[*gatewayv1.AudioFrame]{Kind: KindGap, Gap: &gatewayv1.Gap{FirstMissingSequence: 2, LastMissingSequence: 3, MissedCount: 2}}
	for _, item := range []Item[*gatewayv1.AudioFrame]{l16Frame(1, 100, -100), gap, l16Frame(4, 7), {Kind: KindEnded}} {
		if err := wav.Write(item); err != nil {
			t.Fatal(err)
		}
	}
	if err := wav.Close(); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	silence := 2 * 20 * 16 * 2 // two 20 ms frames at 16 kHz, 2 bytes a sample
	data := 4 + silence + 2
	if len(file) != 44+data {
		t.Fatalf("file of %d bytes, want %d", len(file), 44+data)
	}
	if string(file[:4]) != "RIFF" || binary.LittleEndian.Uint32(file[4:]) != uint32(36+data) || string(file[8:16]) != "WAVEfmt " ||
		binary.LittleEndian.Uint16(file[22:]) != 1 || binary.LittleEndian.Uint32(file[24:]) != 16000 ||
		binary.LittleEndian.Uint16(file[34:]) != 16 || string(file[36:40]) != "data" || binary.LittleEndian.Uint32(file[40:]) != uint32(data) {
		t.Fatalf("header % x", file[:44])
	}
	if !bytes.Equal(file[48:48+silence], make([]byte, silence)) || binary.LittleEndian.Uint16(file[48+silence:]) != 7 {
		t.Fatalf("the gap is not silence between the frames")
	}
}

func TestAWavWriterRefusesAFrameInAnotherFormat(t *testing.T) {
	wav, err := CreateWav(filepath.Join(t.TempDir(), "x.wav"), 16000, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer wav.Close()
	frame := l16Frame(1, 1)
	frame.Message.Format.Codec = gatewayv1.AudioCodec_AUDIO_CODEC_OPUS
	if err := wav.Write(frame); err == nil {
		t.Fatal("an Opus frame was written as PCM")
	}
}
