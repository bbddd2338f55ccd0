package store

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// TestCrisisMigrationKeepsTheOutbox builds a SQLite database as the release
// before migration 0010 left it, with an alert in the outbox, then opens it:
// 0010 rebuilds the notifications table (SQLite cannot change a CHECK), and
// the alert must come through whole, with crisis alerts now allowed.
func TestCrisisMigrationKeepsTheOutbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", sqliteDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(migrations, "migrations/sqlite/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if filepath.Base(name) >= "0010" {
			break
		}
		body, _ := fs.ReadFile(migrations, name)
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (?, ?)`, filepath.Base(name), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for _, row := range []struct {
		q    string
		args []any
	}{
		{`INSERT INTO sites (id, name, created_at) VALUES (1, 'blog', ?)`, []any{at}},
		{`INSERT INTO users (id, email, role, password_hash, created_at) VALUES (7, 'o@x.example', 'owner', 'x', ?)`, []any{at}},
		{`INSERT INTO threads (id, site_id, path, created_at) VALUES (3, 1, '/p/', ?)`, []any{at}},
		{`INSERT INTO comments (id, thread_id, site_id, body, status, created_at) VALUES (5, 3, 1, 'hi', 'approved', ?)`, []any{at}},
		{`INSERT INTO notifications (id, dedup_key, kind, channel, site_id, user_id, comment_id, status, attempts,
			next_attempt_at, last_error, created_at, sent_at) VALUES
			(11, 'c5:reminder:u7:email', 'reminder', 'email', 1, 7, 5, 'sent', 2, ?, 'try again', ?, ?)`, []any{at, at, at}},
	} {
		if _, err := db.Exec(row.q, row.args...); err != nil {
			t.Fatalf("%s: %v", row.q, err)
		}
	}
	db.Close()

	st, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.FindNotificationByID(t.Context(), 11)
	if err != nil {
		t.Fatal(err)
	}
	want := comment.Notification{ID: 11, DedupKey: "c5:reminder:u7:email", Kind: comment.AlertReminder, Channel: comment.ChannelEmail,
		SiteID: 1, UserID: 7, CommentID: 5, Status: comment.NotificationSent, Attempts: 2, LastError: "try again"}
	if n.DedupKey != want.DedupKey || n.Kind != want.Kind || n.CommentID != 5 || n.UserID != 7 || n.Attempts != 2 ||
		n.LastError != want.LastError || !n.SentAt.Equal(at) || !n.CreatedAt.Equal(at) || n.Status != want.Status {
		t.Errorf("after the migration: %+v", n)
	}
	err = st.CreateNotifications(t.Context(), []comment.Notification{{DedupKey: "crisis:k1:u7:email", Kind: comment.AlertCrisis,
		Channel: comment.ChannelEmail, SiteID: 1, UserID: 7, NextAttemptAt: at, CreatedAt: at}})
	if err != nil {
		t.Errorf("a crisis alert: %v", err)
	}
	// The rebuilt table keeps its indexes: the due sweep's among them.
	var idx int
	st.db.Raw(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notifications' AND name IN
		('notifications_due', 'notifications_comment', 'notifications_user', 'notifications_crisis')`).Scan(&idx)
	if idx != 4 {
		t.Errorf("%d of the 4 indexes on notifications", idx)
	}
}
