package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parleyhq/parley/server/comment"
)

// The outboxes (notifications to staff, reader_mail to readers) share
// their columns for delivery: status, attempts, next_attempt_at,
// lease_until, last_error and sent_at.

// claimDue leases up to limit pending rows of R's table that are due at
// now until now+lease, counts the attempt, and returns the rows as conv
// makes them (conv gets them with the count from before). A row leased by one worker is not handed
// to another until the lease ends (a worker that crashed mid-send); SKIP
// LOCKED keeps PostgreSQL replicas from waiting on each other.
func claimDue[R, T any](ctx context.Context, s *Store, now time.Time, lease time.Duration, limit int, what string,
	id func(R) int64, conv func(R) T) ([]T, error) {
	var rows []R
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Where("status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)",
			now.UTC(), now.UTC()).Order("next_attempt_at, id").Limit(limit)
		if s.engine == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&rows).Error; err != nil || len(rows) == 0 {
			return err
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = id(r)
		}
		return tx.Model(new(R)).Where("id IN ?", ids).Updates(map[string]any{
			"lease_until": now.Add(lease).UTC(), "attempts": gorm.Expr("attempts + 1")}).Error
	})
	if err != nil {
		return nil, translate(err, what)
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = conv(r)
	}
	return out, nil
}

// finishSet is the change that records what became of a claimed row:
// sent, cancelled or failed, or (pending) to be tried again at next.
func finishSet(status comment.NotificationStatus, next time.Time, lastErr string, at time.Time) map[string]any {
	set := map[string]any{"status": string(status), "lease_until": nil, "last_error": lastErr}
	switch status {
	case comment.NotificationSent:
		set["sent_at"] = at.UTC()
	case comment.NotificationPending:
		set["next_attempt_at"] = next.UTC()
	}
	return set
}
