package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// changesChannel is the PostgreSQL channel replicas tell each other what
// changed on.
const changesChannel = "parley_changes"

// MaxChangeBytes bounds a change message (PostgreSQL's NOTIFY takes 8000
// bytes).
const MaxChangeBytes = 7900

// Shared reports whether other Parley processes may share the database
// (PostgreSQL), so that what changes must be told to them.
func (s *Store) Shared() bool { return s.engine == "postgres" }

// PublishChange tells every replica listening (this one included) that
// something changed. On SQLite, which one process uses, it does nothing.
func (s *Store) PublishChange(ctx context.Context, msg string) error {
	if s.engine != "postgres" {
		return nil
	}
	if len(msg) > MaxChangeBytes {
		return fmt.Errorf("store: publish change: %d bytes is too long", len(msg))
	}
	return translate(s.db.WithContext(ctx).Exec("SELECT pg_notify(?, ?)", changesChannel, msg).Error, "change publish")
}

// ListenChanges calls fn with each change any replica publishes, until ctx
// is done, on a connection of its own. Each time it starts listening (the
// first time, and after the connection was lost) it calls resync: changes
// made before then were not heard (sites loaded at start, or anything
// while disconnected). On
// SQLite it waits for ctx and returns.
func (s *Store) ListenChanges(ctx context.Context, fn func(msg string), resync func(), log *slog.Logger) error {
	if s.engine != "postgres" {
		<-ctx.Done()
		return nil
	}
	wait := time.Second
	for ctx.Err() == nil {
		err := s.listen(ctx, fn, func() {
			resync()
			wait = time.Second
		})
		if ctx.Err() != nil {
			return nil
		}
		log.Warn("listening for changes of other replicas", "err", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(wait*2, 30*time.Second)
	}
	return nil
}

func (s *Store) listen(ctx context.Context, fn func(string), connected func()) error {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return fmt.Errorf("store: listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return fmt.Errorf("store: listen: %w", err)
	}
	connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("store: listen: %w", err)
		}
		fn(n.Payload)
	}
}
