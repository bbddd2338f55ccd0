package store

import (
	"cmp"
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parleyhq/parley/server/comment"
)

type notificationRow struct {
	ID            int64
	DedupKey      string
	Kind          string
	Channel       string
	SiteID        int64
	UserID        int64
	CommentID     sql.NullInt64
	CrisisID      sql.NullInt64
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LeaseUntil    sql.NullTime
	LastError     string
	CreatedAt     time.Time
	SentAt        sql.NullTime
}

func (notificationRow) TableName() string { return "notifications" }

func (r notificationRow) notification() comment.Notification {
	return comment.Notification{ID: r.ID, DedupKey: r.DedupKey, Kind: comment.AlertKind(r.Kind),
		Channel: comment.Channel(r.Channel), SiteID: r.SiteID, UserID: r.UserID, CommentID: r.CommentID.Int64,
		CrisisID: r.CrisisID.Int64, Status: comment.NotificationStatus(r.Status), Attempts: r.Attempts, NextAttemptAt: r.NextAttemptAt,
		LastError: r.LastError, CreatedAt: r.CreatedAt, SentAt: r.SentAt.Time}
}

// FindAssignables lists the site's staff and every owner, by name.
func (s *Store) FindAssignables(ctx context.Context, siteID int64) ([]comment.Assignable, error) {
	var rows []userRow
	err := s.db.WithContext(ctx).
		Where("role = 'owner' OR id IN (SELECT user_id FROM user_sites WHERE site_id = ?)", siteID).
		Order("name, email").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "assignables find")
	}
	out := make([]comment.Assignable, len(rows))
	for i, r := range rows {
		out[i] = comment.Assignable{ID: r.ID, Name: cmp.Or(r.Name, r.Email), Email: r.Email, Owner: r.Role == "owner"}
	}
	return out, nil
}

// FindRecipients returns every account with its sites and alert
// preferences: the worker resolves who hears of what in memory.
func (s *Store) FindRecipients(ctx context.Context) ([]comment.Recipient, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "recipients find")
	}
	var links []userSiteRow
	if err := s.db.WithContext(ctx).Order("user_id, site_id").Find(&links).Error; err != nil {
		return nil, translate(err, "recipients sites")
	}
	sites := map[int64][]int64{}
	for _, l := range links {
		sites[l.UserID] = append(sites[l.UserID], l.SiteID)
	}
	out := make([]comment.Recipient, len(rows))
	for i, r := range rows {
		out[i] = r.recipient()
		out[i].SiteIDs = sites[r.ID]
	}
	return out, nil
}

func (r userRow) recipient() comment.Recipient {
	return comment.Recipient{
		Assignable: comment.Assignable{ID: r.ID, Name: cmp.Or(r.Name, r.Email), Email: r.Email, Owner: r.Role == "owner"},
		Prefs: comment.AlertPrefs{TimeZone: r.TimeZone, QuietHours: r.QuietHours, Email: r.NotifyEmail,
			WebhookURL: r.WebhookURL, WebhookFormat: r.WebhookFormat, WebhookSecret: r.WebhookSecret},
	}
}

// FindRecipient returns one staff member with their alert preferences.
func (s *Store) FindRecipient(ctx context.Context, id int64) (comment.Recipient, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return comment.Recipient{}, translate(err, "user find")
	}
	return row.recipient(), nil
}

// UpdateAlertPrefs stores a staff member's alert preferences.
func (s *Store) UpdateAlertPrefs(ctx context.Context, userID int64, p comment.AlertPrefs) error {
	return s.updateUser(ctx, userID, map[string]any{"time_zone": p.TimeZone, "quiet_hours": p.QuietHours,
		"notify_email": p.Email, "webhook_url": p.WebhookURL, "webhook_format": p.WebhookFormat,
		"webhook_secret": p.WebhookSecret})
}

// SweepAlerts hands fn the open, shown comments whose next alert is due at
// now (at most limit, oldest due first), and in the same transaction stores
// the notifications fn returns (those whose dedup key exists are skipped)
// and each comment's next step. On PostgreSQL the comments are locked with
// SKIP LOCKED, so replicas sweeping at once share the work; SQLite has one
// writer. It returns how many comments fn was given.
func (s *Store) SweepAlerts(ctx context.Context, now time.Time, limit int,
	fn func([]comment.Comment) ([]comment.Notification, map[int64]comment.AlertStep, error)) (int, error) {
	n := 0
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Where("next_alert_at IS NOT NULL AND reply_state = 'open' AND status = 'approved' AND next_alert_at <= ?", now.UTC()).
			Order("next_alert_at").Limit(limit)
		if s.engine == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []commentRow
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		n = len(rows)
		if n == 0 {
			return nil
		}
		cs := make([]comment.Comment, len(rows))
		for i, r := range rows {
			cs[i] = r.comment()
		}
		ns, steps, err := fn(cs)
		if err != nil {
			return err
		}
		if err := createNotifications(tx, ns); err != nil {
			return err
		}
		for id, st := range steps {
			err := tx.Model(&commentRow{}).Where("id = ?", id).
				Updates(map[string]any{"alert_step": st.Step, "next_alert_at": nullTime(st.Next)}).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
	return n, translate(err, "alerts sweep")
}

// CreateNotifications adds rows to the outbox, skipping those whose dedup
// key is already there.
func (s *Store) CreateNotifications(ctx context.Context, ns []comment.Notification) error {
	return translate(createNotifications(s.db.WithContext(ctx), ns), "notifications create")
}

func createNotifications(tx *gorm.DB, ns []comment.Notification) error {
	if len(ns) == 0 {
		return nil
	}
	rows := make([]notificationRow, len(ns))
	for i, n := range ns {
		rows[i] = notificationRow{DedupKey: n.DedupKey, Kind: string(n.Kind), Channel: string(n.Channel),
			SiteID: n.SiteID, UserID: n.UserID, CommentID: nullID(n.CommentID), CrisisID: nullID(n.CrisisID),
			Status: string(comment.NotificationPending), NextAttemptAt: n.NextAttemptAt.UTC(), CreatedAt: n.CreatedAt.UTC()}
	}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "dedup_key"}}, DoNothing: true}).
		CreateInBatches(rows, 200).Error
}

// ClaimNotifications leases up to limit pending notifications that are due
// at now until now+lease, and counts the attempt (see claimDue).
func (s *Store) ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]comment.Notification, error) {
	return claimDue(ctx, s, now, lease, limit, "notifications claim", func(r notificationRow) int64 { return r.ID },
		func(r notificationRow) comment.Notification {
			r.Attempts++
			return r.notification()
		})
}

// FinishNotification records what became of a claimed notification: sent,
// cancelled or failed, or (pending) to be tried again at next.
func (s *Store) FinishNotification(ctx context.Context, id int64, status comment.NotificationStatus, next time.Time, lastErr string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&notificationRow{}).Where("id = ?", id).
		Updates(finishSet(status, next, lastErr, at)).Error
	return translate(err, "notification finish")
}

// FindNotificationByID returns one notification.
func (s *Store) FindNotificationByID(ctx context.Context, id int64) (comment.Notification, error) {
	var row notificationRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return comment.Notification{}, translate(err, "notification find")
	}
	return row.notification(), nil
}

// FindNotifications returns the newest notifications of the sites (nil:
// all) or of one comment (commentID > 0).
func (s *Store) FindNotifications(ctx context.Context, siteIDs []int64, commentID int64, limit int) ([]comment.Notification, error) {
	q := s.db.WithContext(ctx).Order("id DESC").Limit(limit)
	if siteIDs != nil {
		q = q.Where("site_id IN ?", append([]int64{0}, siteIDs...))
	}
	if commentID > 0 {
		q = q.Where("comment_id = ?", commentID)
	}
	var rows []notificationRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err, "notifications find")
	}
	out := make([]comment.Notification, len(rows))
	for i, r := range rows {
		out[i] = r.notification()
	}
	return out, nil
}

// FindOverdue returns the site's open, shown comments whose deadline has
// passed at now, oldest first, with their threads: what a digest lists.
func (s *Store) FindOverdue(ctx context.Context, siteID int64, now time.Time, limit int) ([]comment.Listed, error) {
	var rows []commentRow
	err := s.db.WithContext(ctx).Where(
		"site_id = ? AND reply_state = 'open' AND status = 'approved' AND due_at IS NOT NULL AND due_at <= ?",
		siteID, now.UTC()).Order("due_at, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "overdue find")
	}
	return s.listed(ctx, rows)
}

// FindReplyFacts returns the shown reader comments of the sites (nil: all)
// posted since since.
func (s *Store) FindReplyFacts(ctx context.Context, siteIDs []int64, since time.Time) ([]comment.ReplyFact, error) {
	var rows []struct {
		SiteID       int64
		AssigneeID   sql.NullInt64
		CreatedAt    time.Time
		DueAt        sql.NullTime
		AnsweredAt   sql.NullTime
		ReplySeconds sql.NullInt64
		ReplyState   string
		Negativity   sql.NullFloat64
	}
	if err := replyFacts(s.db.WithContext(ctx), siteIDs, since).Scan(&rows).Error; err != nil {
		return nil, translate(err, "reply facts")
	}
	out := make([]comment.ReplyFact, len(rows))
	for i, r := range rows {
		out[i] = comment.ReplyFact{SiteID: r.SiteID, AssigneeID: r.AssigneeID.Int64, CreatedAt: r.CreatedAt,
			DueAt: r.DueAt.Time, AnsweredAt: r.AnsweredAt.Time, ReplyTime: time.Duration(r.ReplySeconds.Int64) * time.Second,
			State: comment.ReplyState(r.ReplyState), Negativity: r.Negativity.Float64, Scored: r.Negativity.Valid}
	}
	return out, nil
}

// replyFacts selects the facts of the sites' shown reader comments posted
// since since; with sites, through the comments_site_created index.
func replyFacts(db *gorm.DB, siteIDs []int64, since time.Time) *gorm.DB {
	q := db.Model(&commentRow{}).
		Select("site_id, assignee_id, created_at, due_at, answered_at, reply_seconds, reply_state, negativity").
		Where("NOT official AND status = ? AND created_at >= ?", comment.StatusApproved, since.UTC())
	if siteIDs != nil {
		q = q.Where("site_id IN ?", append([]int64{0}, siteIDs...))
	}
	return q
}

// CountBacklog counts the open, shown comments of the sites (nil: all) by
// age at now, in one pass over the inbox index.
func (s *Store) CountBacklog(ctx context.Context, siteIDs []int64, now time.Time) ([]comment.Backlog, error) {
	return s.countBacklog(ctx, siteIDs, now, false)
}

// CountBacklogByAssignee counts the site's open, shown comments by
// assignee (0: the site's assignees in common) and age at now.
func (s *Store) CountBacklogByAssignee(ctx context.Context, siteID int64, now time.Time) ([]comment.Backlog, error) {
	return s.countBacklog(ctx, []int64{siteID}, now, true)
}

func (s *Store) countBacklog(ctx context.Context, siteIDs []int64, now time.Time, byAssignee bool) ([]comment.Backlog, error) {
	group := "site_id"
	if byAssignee {
		group = "site_id, COALESCE(assignee_id, 0)"
	}
	sel := group
	args := []any{}
	for _, age := range comment.BacklogAges {
		sel += ", SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END)"
		args = append(args, now.Add(-age).UTC())
	}
	sel += ", COUNT(*), SUM(CASE WHEN due_at IS NOT NULL AND due_at <= ? THEN 1 ELSE 0 END)"
	args = append(args, now.UTC())
	q := s.db.WithContext(ctx).Model(&commentRow{}).Select(sel, args...).
		Where("reply_state = 'open' AND status = ?", comment.StatusApproved).Group(group).Order(group)
	if siteIDs != nil {
		q = q.Where("site_id IN ?", append([]int64{0}, siteIDs...))
	}
	rows, err := q.Rows()
	if err != nil {
		return nil, translate(err, "backlog count")
	}
	defer rows.Close()
	var out []comment.Backlog
	for rows.Next() {
		var b comment.Backlog
		var within [len(comment.BacklogAges)]int
		var total int
		dst := []any{&b.SiteID}
		if byAssignee {
			dst = append(dst, &b.AssigneeID)
		}
		for i := range within {
			dst = append(dst, &within[i])
		}
		dst = append(dst, &total, &b.Overdue)
		if err := rows.Scan(dst...); err != nil {
			return nil, translate(err, "backlog count")
		}
		prev := 0
		for i, n := range within { // cumulative counts to buckets
			b.Buckets[i] = n - prev
			prev = n
		}
		b.Buckets[len(within)] = total - prev
		out = append(out, b)
	}
	return out, translate(rows.Err(), "backlog count")
}
