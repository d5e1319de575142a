package rtmsgateway

import (
	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"google.golang.org/protobuf/proto"
)

// AudioOption is an option of SubscribeAudio.
type AudioOption func(*audioOptions)

type audioOptions struct {
	format *gatewayv1.AudioFormatRequest
}

// WithAudioFormat asks the gateway for audio in format (SubscribeAudioRequest.format), on every call the subscription
// makes, reconnects included; each frame's Format says what it is. nil: as Zoom sends it.
func WithAudioFormat(format *gatewayv1.AudioFormatRequest) AudioOption {
	if format != nil {
		format = proto.Clone(format).(*gatewayv1.AudioFormatRequest)
	}
	return func(o *audioOptions) { o.format = format }
}
