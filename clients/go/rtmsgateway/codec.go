package rtmsgateway

import (
	"fmt"

	"google.golang.org/protobuf/proto"
)

// codec marshals the generated messages with google.golang.org/protobuf. grpc-go releases built against
// github.com/golang/protobuf 1.3 (Debian's grpc 1.33) cannot marshal protoc-gen-go v1.20+ messages with their
// default codec, so every connection of a Client forces this one; with newer grpc-go it is what the default does.
type codec struct{}

func (codec) Marshal(v interface{}) ([]byte, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("rtmsgateway: cannot marshal %T: not a protobuf message", v)
	}
	return proto.Marshal(m)
}

func (codec) Unmarshal(data []byte, v interface{}) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("rtmsgateway: cannot unmarshal into %T: not a protobuf message", v)
	}
	return proto.Unmarshal(data, m)
}

// Name is the content subtype (encoding.Codec); String the same for the older grpc.Codec interface.
func (codec) Name() string   { return "proto" }
func (codec) String() string { return "proto" }
