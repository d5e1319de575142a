package rtmsgateway

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
)

func TestTheRequestedAudioFormatIsSentOnEveryCallAcrossAResume(t *testing.T) {
	const e = 1_000_000_000_000
	first := &fakeGateway{scripts: []func(*gatewayv1.SubscribeAudioRequest, gatewayv1.RtmsGatewayService_SubscribeAudioServer) error{
		func(_ *gatewayv1.SubscribeAudioRequest, s gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			if err := send(s, frame(e+1)); err != nil {
				return err
			}
			return gatewayError(codes.Unavailable, "DRAINING", 0)
		},
	}}
	ended := &gatewayv1.SubscribeAudioResponse{Message: &gatewayv1.SubscribeAudioResponse_Ended{Ended: &gatewayv1.SessionEnded{}}}
	second := &fakeGateway{scripts: []func(*gatewayv1.SubscribeAudioRequest, gatewayv1.RtmsGatewayService_SubscribeAudioServer) error{
		func(_ *gatewayv1.SubscribeAudioRequest, s gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			return send(s, frame(e+2), ended)
		},
	}}
	c := client(t, Options{Addresses: []string{serve(t, first), serve(t, second)}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	want := &gatewayv1.AudioFormatRequest{Codec: gatewayv1.AudioCodec_AUDIO_CODEC_L16, SampleRateHz: 16000, Channels: 1}
	asked := proto.Clone(want).(*gatewayv1.AudioFormatRequest)
	sub := c.SubscribeAudio(ctx, &gatewayv1.SubscriptionTarget{RtmsStreamId: "s"}, WithAudioFormat(asked))
	defer sub.Close()
	asked.SampleRateHz = 8000 // the option keeps its own copy
	for {
		if _, err := sub.Next(ctx); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("Next: %v", err)
		}
	}
	for i, call := range append(first.calls, second.calls...) {
		if !proto.Equal(call.GetFormat(), want) {
			t.Fatalf("call %d asked for %v, want %v", i, call.GetFormat(), want)
		}
	}
	if r := second.calls[0].GetTarget().GetResumeAfterSequence(); r != e+1 {
		t.Fatalf("resumed after %d, want %d", r, e+1)
	}
}

func TestWithoutTheOptionNoFormatIsSent(t *testing.T) {
	ended := &gatewayv1.SubscribeAudioResponse{Message: &gatewayv1.SubscribeAudioResponse_Ended{Ended: &gatewayv1.SessionEnded{}}}
	f := &fakeGateway{scripts: []func(*gatewayv1.SubscribeAudioRequest, gatewayv1.RtmsGatewayService_SubscribeAudioServer) error{
		func(_ *gatewayv1.SubscribeAudioRequest, s gatewayv1.RtmsGatewayService_SubscribeAudioServer) error {
			return send(s, ended)
		},
	}}
	c := client(t, Options{Addresses: []string{serve(t, f)}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub := c.SubscribeAudio(ctx, &gatewayv1.SubscriptionTarget{RtmsStreamId: "s"})
	defer sub.Close()
	if _, err := sub.Next(ctx); err != nil {
		t.Fatalf("Next: %v", err)
	}
	if f.calls[0].Format != nil {
		t.Fatalf("asked for %v without the option", f.calls[0].Format)
	}
}
