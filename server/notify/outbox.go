package notify

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// The outbox workers (staff alerts, reader mail) share these: a loop, the
// draining of due rows in batches, and the retry policy of a failed send.

// The waits between attempts of an outbox's message.
const (
	minBackoff = 30 * time.Second
	maxBackoff = time.Hour
)

// Backoff is the wait before the attempt after the n-th: doubling from
// 30 s to at most an hour, with a little jitter so that replicas and
// recipients do not retry in step.
func Backoff(n int) time.Duration {
	d := minBackoff << min(max(n-1, 0), 7)
	d = min(d, maxBackoff)
	return d + rand.N(d/10+1)
}

// Retry is what becomes of a message whose attempt (counted from 1)
// failed with err: failed for good when a retry cannot help or the
// attempts are used up, else pending until now plus Backoff.
func Retry(err error, attempt, maxAttempts int, now time.Time) (comment.NotificationStatus, time.Time) {
	if Permanent(err) || attempt >= maxAttempts {
		return comment.NotificationFailed, time.Time{}
	}
	return comment.NotificationPending, now.Add(Backoff(attempt))
}

// Every calls tick at once and then every interval until ctx is done,
// handing report the errors it returns while ctx lasts.
func Every(ctx context.Context, interval time.Duration, tick func(context.Context) error, report func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := tick(ctx); err != nil && ctx.Err() == nil {
			report(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Drain claims batches of up to batch rows and delivers each, until a
// batch comes back short, deliver fails or ctx is done.
func Drain[T any](ctx context.Context, batch int, claim func() ([]T, error), deliver func(T) error) error {
	for {
		rows, err := claim()
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := deliver(r); err != nil {
				return err
			}
		}
		if len(rows) < batch || ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
