package rtmsgateway

import (
	"strings"
	"time"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Code is the gRPC status code of err (codes.OK for nil, codes.Unknown for an error that carries no status).
func Code(err error) codes.Code { return status.Code(err) }

// ErrorInfo is the google.rpc.ErrorInfo the gateway puts in every status it sets (errors.proto), or nil.
func ErrorInfo(err error) *errdetails.ErrorInfo {
	st, ok := status.FromError(err)
	if !ok || st == nil {
		return nil
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// Reason is the stable reason of a gateway error (ErrorInfo.reason, e.g. "SESSION_NOT_FOUND"), or "" when it has none.
// Decide on the reason, never on the message text.
func Reason(err error) string { return ErrorInfo(err).GetReason() }

// RetryDelay is the google.rpc.RetryInfo's retry_delay of err, and whether the gateway sent one.
func RetryDelay(err error) (time.Duration, bool) {
	st, ok := status.FromError(err)
	if !ok || st == nil {
		return 0, false
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.RetryInfo); ok {
			delay := info.GetRetryDelay()
			if delay == nil {
				return 0, true
			}
			return time.Duration(delay.GetSeconds())*time.Second + time.Duration(delay.GetNanos()), true
		}
	}
	return 0, false
}

// ResumePoint is the gateway's rtms.gateway.v1.ResumePoint detail of err (where a subscription can resume), or nil.
func ResumePoint(err error) *gatewayv1.ResumePoint {
	st, ok := status.FromError(err)
	if !ok || st == nil {
		return nil
	}
	// Decoded from the raw Any: with github.com/golang/protobuf 1.3 the status package cannot resolve
	// protoc-gen-go v1.20+ types.
	for _, any := range st.Proto().GetDetails() {
		if strings.HasSuffix(any.GetTypeUrl(), "/rtms.gateway.v1.ResumePoint") {
			point := &gatewayv1.ResumePoint{}
			if proto.Unmarshal(any.GetValue(), point) == nil {
				return point
			}
		}
	}
	return nil
}
