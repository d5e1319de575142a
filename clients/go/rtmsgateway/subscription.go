package rtmsgateway

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"time"

	"github.com/rtms-gateway/rtms-gateway/clients/go/gatewayv1"
	"google.golang.org/protobuf/proto"
)

// Kind is what a subscription item is.
type Kind int

const (
	// KindMessage is a message of the channel (Item.Message).
	KindMessage Kind = iota
	// KindGap announces messages this subscriber will never get (Item.Gap): exactly one per hole.
	KindGap
	// KindEnded is the end of the session (Item.Ended); Next returns io.EOF after it.
	KindEnded
)

func (k Kind) String() string {
	switch k {
	case KindMessage:
		return "message"
	case KindGap:
		return "gap"
	case KindEnded:
		return "ended"
	}
	return "unknown"
}

// Item is one item of a subscription: a message, a gap, or the end of the session.
type Item[T any] struct {
	Kind Kind
	// The message's sequence, or the last sequence a gap covers; 0 for KindEnded.
	Sequence uint64
	// The message (KindMessage), else the zero value (nil).
	Message T
	Gap     *gatewayv1.Gap
	Ended   *gatewayv1.SessionEnded
}

// ErrClosed is returned by Next after Close.
var ErrClosed = errors.New("rtmsgateway: subscription closed")

type receive[T any] func() (Item[T], bool, error)

type open[T any] func(ctx context.Context, stub gatewayv1.RtmsGatewayServiceClient, target *gatewayv1.SubscriptionTarget) (receive[T], error)

// Subscription is one subscription that survives its calls: it remembers the last sequence delivered and, when a call
// ends while the session lives on, calls again (another replica when this one drains or died) with
// resume_after_sequence, so the caller's loop goes on with no code of its own. Next is not safe for concurrent use;
// Close is.
type Subscription[T any] struct {
	client *Client
	target *gatewayv1.SubscriptionTarget
	open   open[T]

	ctx    context.Context // the subscription's life: the caller's ctx, until Close
	cancel context.CancelFunc

	last    uint64
	hasLast bool
	replica int
	attempt int
	// When an item was last delivered (or the subscription began): the give-up clock.
	progress time.Time

	recv        receive[T]
	callCancel  context.CancelFunc
	interrupted int32 // set when a Next's ctx cancelled the call: reopen at once, it was no failure
	closed      int32 // set by Close
	done        bool  // ended: io.EOF from now on
	err         error // a final error
}

func newSubscription[T any](c *Client, ctx context.Context, target *gatewayv1.SubscriptionTarget, o open[T]) *Subscription[T] {
	if ctx == nil {
		ctx = context.Background()
	}
	if target == nil {
		target = &gatewayv1.SubscriptionTarget{}
	}
	target = proto.Clone(target).(*gatewayv1.SubscriptionTarget)
	s := &Subscription[T]{client: c, target: target, open: o, replica: c.firstReplica(), progress: c.now()}
	s.ctx, s.cancel = context.WithCancel(ctx)
	if target.ResumeAfterSequence != nil {
		s.last, s.hasLast = target.GetResumeAfterSequence(), true
	}
	return s
}

// LastSequence is the last sequence delivered (a message's, or the end of a gap), and whether there is one: the value
// to keep to resume a later subscription (SubscriptionTarget.ResumeAfterSequence) without loss.
func (s *Subscription[T]) LastSequence() (uint64, bool) { return s.last, s.hasLast }

// Close ends the subscription and its call.
func (s *Subscription[T]) Close() {
	atomic.StoreInt32(&s.closed, 1)
	s.cancel()
}

func (s *Subscription[T]) closeCall() {
	if s.callCancel != nil {
		s.callCancel()
		s.callCancel = nil
	}
	s.recv = nil
}

// Next waits for the next item. It returns io.EOF after the KindEnded item (or when the gateway completed the call
// without one), ctx's error when ctx ends (the subscription stays usable: the next Next resumes without loss), the
// subscription context's error or ErrClosed once it ended, and otherwise only an error a retry cannot fix, or the
// last error after Options.GiveUpAfter without progress.
func (s *Subscription[T]) Next(ctx context.Context) (Item[T], error) {
	var zero Item[T]
	if ctx == nil {
		ctx = context.Background()
	}
	for {
		if s.done {
			return zero, io.EOF
		}
		if s.err != nil {
			return zero, s.err
		}
		if err := s.ended(ctx); err != nil {
			return zero, err
		}
		if s.recv == nil {
			if err, token := s.start(); err != nil {
				if token {
					return zero, err // the token provider's error: the caller's to fix
				}
				if item, retry, err := s.failed(ctx, err); !retry {
					return item, err
				}
				continue
			}
		}
		item, ok, err := s.receive(ctx)
		if err != nil {
			s.closeCall()
			if err == io.EOF {
				// Completed OK without SessionEnded: the session is over from the gateway's point of view.
				s.done = true
				return zero, io.EOF
			}
			if atomic.SwapInt32(&s.interrupted, 0) == 1 {
				if cerr := s.ended(ctx); cerr != nil {
					return zero, cerr
				}
				continue // our own interruption: reopen at once
			}
			if _, retry, err := s.failed(ctx, err); !retry {
				return zero, err
			}
			continue
		}
		if !ok {
			continue
		}
		if item.Kind == KindEnded {
			s.done = true
			s.closeCall()
			return item, nil
		}
		if s.hasLast && item.Sequence <= s.last {
			continue // replayed again after a resume: already delivered
		}
		s.last, s.hasLast = item.Sequence, true
		s.attempt = 0
		s.progress = s.client.now()
		return item, nil
	}
}

// ended is the error that ends Next now: the subscription's or the caller's context is done.
func (s *Subscription[T]) ended(ctx context.Context) error {
	if s.ctx.Err() != nil {
		s.closeCall()
		if atomic.LoadInt32(&s.closed) == 1 {
			return ErrClosed
		}
		return s.ctx.Err()
	}
	return ctx.Err()
}

func (s *Subscription[T]) start() (err error, token bool) {
	request := proto.Clone(s.target).(*gatewayv1.SubscriptionTarget)
	if s.hasLast {
		last := s.last
		request.ResumeAfterSequence = &last
	}
	callCtx, err := s.client.CallContext(s.ctx)
	if err != nil {
		return err, true
	}
	callCtx, cancel := context.WithCancel(callCtx)
	recv, err := s.open(callCtx, s.client.stubs[s.replica], request)
	if err != nil {
		cancel()
		return err, false
	}
	s.recv, s.callCancel = recv, cancel
	return nil, false
}

// receive reads one response; when ctx ends first, it interrupts the call (the subscription reopens it on the next Next).
func (s *Subscription[T]) receive(ctx context.Context) (Item[T], bool, error) {
	if ctx.Done() == nil {
		return s.recv()
	}
	finished := make(chan struct{})
	cancel := s.callCancel
	go func() {
		select {
		case <-ctx.Done():
			atomic.StoreInt32(&s.interrupted, 1)
			cancel()
		case <-finished:
		}
	}()
	item, ok, err := s.recv()
	close(finished)
	if err != nil && ctx.Err() != nil {
		atomic.StoreInt32(&s.interrupted, 0)
		return item, false, ctx.Err()
	}
	return item, ok, err
}

// failed decides after a failed call: wait and retry (true), or end Next with err.
func (s *Subscription[T]) failed(ctx context.Context, err error) (Item[T], bool, error) {
	var zero Item[T]
	if errors.Is(err, ctx.Err()) && ctx.Err() != nil {
		return zero, false, err // the caller's Next deadline: no failure of the subscription
	}
	if cerr := s.ended(ctx); cerr != nil {
		return zero, false, cerr
	}
	opts := s.client.opts
	d := decide(err, false, backoff(s.attempt, opts.InitialBackoff, opts.MaxBackoff))
	if !d.retry || s.client.now().Sub(s.progress) > opts.GiveUpAfter {
		s.err = err
		return zero, false, err
	}
	if d.otherReplica {
		s.replica = s.client.nextReplica(s.replica)
	}
	s.attempt++
	wait, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.ctx.Done():
			cancel()
		case <-wait.Done():
		}
	}()
	if werr := s.client.sleep(wait, d.delay); werr != nil {
		if cerr := s.ended(ctx); cerr != nil {
			return zero, false, cerr
		}
		return zero, false, werr
	}
	return zero, true, nil
}

func message[T any](m T, sequence uint64) (Item[T], bool, error) {
	return Item[T]{Kind: KindMessage, Sequence: sequence, Message: m}, true, nil
}

func other[T any](gap *gatewayv1.Gap, ended *gatewayv1.SessionEnded) (Item[T], bool, error) {
	switch {
	case gap != nil:
		return Item[T]{Kind: KindGap, Sequence: gap.GetLastMissingSequence(), Gap: gap}, true, nil
	case ended != nil:
		return Item[T]{Kind: KindEnded, Ended: ended}, true, nil
	}
	return Item[T]{}, false, nil // a kind of message this version does not know: skipped
}

// SubscribeAudio subscribes to the audio frames of one session (and its gaps, and its end), in the format Zoom sends
// unless an option says otherwise (WithAudioFormat). ctx bounds the whole subscription; Close it when done.
func (c *Client) SubscribeAudio(ctx context.Context, target *gatewayv1.SubscriptionTarget, options ...AudioOption) *Subscription[*gatewayv1.AudioFrame] {
	var audio audioOptions
	for _, option := range options {
		option(&audio)
	}
	return newSubscription(c, ctx, target, func(ctx context.Context, stub gatewayv1.RtmsGatewayServiceClient, t *gatewayv1.SubscriptionTarget) (receive[*gatewayv1.AudioFrame], error) {
		stream, err := stub.SubscribeAudio(ctx, &gatewayv1.SubscribeAudioRequest{Target: t, Format: audio.format})
		if err != nil {
			return nil, err
		}
		return func() (Item[*gatewayv1.AudioFrame], bool, error) {
			r, err := stream.Recv()
			if err != nil {
				return Item[*gatewayv1.AudioFrame]{}, false, err
			}
			if f := r.GetFrame(); f != nil {
				return message(f, f.GetHeader().GetSequence())
			}
			return other[*gatewayv1.AudioFrame](r.GetGap(), r.GetEnded())
		}, nil
	})
}

// SubscribeVideo subscribes to the video frames of one session; source VIDEO_SOURCE_UNSPECIFIED = camera and screen share.
func (c *Client) SubscribeVideo(ctx context.Context, target *gatewayv1.SubscriptionTarget, source gatewayv1.VideoSource) *Subscription[*gatewayv1.VideoFrame] {
	return newSubscription(c, ctx, target, func(ctx context.Context, stub gatewayv1.RtmsGatewayServiceClient, t *gatewayv1.SubscriptionTarget) (receive[*gatewayv1.VideoFrame], error) {
		stream, err := stub.SubscribeVideo(ctx, &gatewayv1.SubscribeVideoRequest{Target: t, Source: source})
		if err != nil {
			return nil, err
		}
		return func() (Item[*gatewayv1.VideoFrame], bool, error) {
			r, err := stream.Recv()
			if err != nil {
				return Item[*gatewayv1.VideoFrame]{}, false, err
			}
			if f := r.GetFrame(); f != nil {
				return message(f, f.GetHeader().GetSequence())
			}
			return other[*gatewayv1.VideoFrame](r.GetGap(), r.GetEnded())
		}, nil
	})
}

// SubscribeTranscripts subscribes to the transcript segments of one session.
func (c *Client) SubscribeTranscripts(ctx context.Context, target *gatewayv1.SubscriptionTarget) *Subscription[*gatewayv1.TranscriptSegment] {
	return newSubscription(c, ctx, target, func(ctx context.Context, stub gatewayv1.RtmsGatewayServiceClient, t *gatewayv1.SubscriptionTarget) (receive[*gatewayv1.TranscriptSegment], error) {
		stream, err := stub.SubscribeTranscripts(ctx, &gatewayv1.SubscribeTranscriptsRequest{Target: t})
		if err != nil {
			return nil, err
		}
		return func() (Item[*gatewayv1.TranscriptSegment], bool, error) {
			r, err := stream.Recv()
			if err != nil {
				return Item[*gatewayv1.TranscriptSegment]{}, false, err
			}
			if m := r.GetSegment(); m != nil {
				return message(m, m.GetHeader().GetSequence())
			}
			return other[*gatewayv1.TranscriptSegment](r.GetGap(), r.GetEnded())
		}, nil
	})
}

// SubscribeEvents subscribes to the participant, sharing, state, chat and upstream events of one session.
func (c *Client) SubscribeEvents(ctx context.Context, target *gatewayv1.SubscriptionTarget) *Subscription[*gatewayv1.SessionEvent] {
	return newSubscription(c, ctx, target, func(ctx context.Context, stub gatewayv1.RtmsGatewayServiceClient, t *gatewayv1.SubscriptionTarget) (receive[*gatewayv1.SessionEvent], error) {
		stream, err := stub.SubscribeEvents(ctx, &gatewayv1.SubscribeEventsRequest{Target: t})
		if err != nil {
			return nil, err
		}
		return func() (Item[*gatewayv1.SessionEvent], bool, error) {
			r, err := stream.Recv()
			if err != nil {
				return Item[*gatewayv1.SessionEvent]{}, false, err
			}
			if e := r.GetEvent(); e != nil {
				return message(e, e.GetHeader().GetSequence())
			}
			return other[*gatewayv1.SessionEvent](r.GetGap(), r.GetEnded())
		}, nil
	})
}
