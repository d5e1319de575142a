package rtmsgateway

import (
	crand "crypto/rand"
	"encoding/binary"
	"math"
	"math/rand"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
)

// decision says what to do after a subscription's call failed: give up, or call again after a delay (on the same or
// another replica).
type decision struct {
	retry        bool
	delay        time.Duration
	otherReplica bool
}

// decide turns the gateway's error contract (errors.proto) into a decision: retry what the gateway or the network says
// is transient, honour RetryInfo, move to another replica when this one drains or lost the session, and never retry a
// request that is wrong (bad target, resume point, credentials, permission) or a session that does not exist.
func decide(err error, cancelledByCaller bool, backoff time.Duration) decision {
	if cancelledByCaller || err == nil {
		return decision{}
	}
	reason := Reason(err)
	advised, hasAdvice := RetryDelay(err)
	delay := backoff
	if hasAdvice && advised > backoff {
		delay = advised
	}
	switch Code(err) {
	case codes.Unavailable:
		// The replica drains, lost the session, or the connection failed before any status: any replica serves it.
		return decision{retry: true, delay: delay, otherReplica: true}
	case codes.Canceled, codes.Unknown, codes.Internal, codes.DeadlineExceeded:
		// Not cancelled by this caller: the connection or the server ended the call.
		return decision{retry: true, delay: delay, otherReplica: true}
	case codes.ResourceExhausted:
		if reason == "SUBSCRIBER_TOO_SLOW" || reason == "WATCHER_TOO_SLOW" {
			// An overflow: resume at once (or as told) on the same replica.
			return decision{retry: true, delay: advised, otherReplica: false}
		}
		if hasAdvice {
			// The session is full: wait as told.
			return decision{retry: true, delay: delay, otherReplica: true}
		}
	}
	return decision{}
}

var jitter = struct {
	sync.Mutex
	*rand.Rand
}{Rand: rand.New(rand.NewSource(seed()))}

func seed() int64 {
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		return time.Now().UnixNano()
	}
	return int64(binary.LittleEndian.Uint64(b[:]))
}

// backoff is a jittered wait, uniform in [nominal/2, nominal] with nominal = initial * 2^attempt capped at max
// (attempt 0 = first retry), so reconnecting clients do not synchronise.
func backoff(attempt int, initial, max time.Duration) time.Duration {
	if attempt > 20 {
		attempt = 20
	}
	nominal := math.Min(float64(max), float64(initial)*math.Pow(2, float64(attempt)))
	jitter.Lock()
	f := jitter.Float64()
	jitter.Unlock()
	return time.Duration(nominal/2 + f*nominal/2)
}
