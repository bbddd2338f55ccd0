package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SweepPlan returns SQLite's plan of the alert sweep's query, for a test
// that it stays one index range.
func (s *Store) SweepPlan(ctx context.Context, now time.Time) (string, error) {
	return s.explain(ctx, "SELECT * FROM comments WHERE next_alert_at IS NOT NULL AND reply_state = 'open' AND status = 'approved' AND next_alert_at <= ? ORDER BY next_alert_at LIMIT 500", now.UTC())
}

// ReplySweepPlan returns SQLite's plan of the reader mail sweep's query.
func (s *Store) ReplySweepPlan(ctx context.Context) (string, error) {
	return s.explain(ctx, "SELECT * FROM comments WHERE "+replySweepWhere+" ORDER BY id LIMIT 500")
}

func (s *Store) explain(ctx context.Context, query string, args ...any) (string, error) {
	var rows []struct {
		Detail string
	}
	err := s.db.WithContext(ctx).Raw("EXPLAIN QUERY PLAN "+query, args...).Scan(&rows).Error
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Detail + "\n")
	}
	return b.String(), err
}

// ReplyFactsPlan explains the query of FindReplyFacts for one site.
func (s *Store) ReplyFactsPlan(ctx context.Context, siteID int64, since time.Time) (string, error) {
	var facts []struct{ SiteID int64 }
	stmt := replyFacts(s.db.WithContext(ctx).Session(&gorm.Session{DryRun: true}), []int64{siteID}, since).Scan(&facts).Statement
	var rows []struct {
		Detail string
	}
	err := s.db.WithContext(ctx).Raw("EXPLAIN QUERY PLAN "+stmt.SQL.String(), stmt.Vars...).Scan(&rows).Error
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Detail + "\n")
	}
	return b.String(), err
}
