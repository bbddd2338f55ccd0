package store

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/reader"
)

type subscriptionRow struct {
	ID               int64
	SiteID           int64
	Email            string
	Lang             string
	ConfirmHash      string
	ConfirmExpiresAt sql.NullTime
	ConfirmSentAt    sql.NullTime
	ConfirmedAt      sql.NullTime
	UnsubscribedAt   sql.NullTime
	CreatedAt        time.Time
}

func (subscriptionRow) TableName() string { return "reader_subscriptions" }

func (r subscriptionRow) subscription() reader.Subscription {
	return reader.Subscription{ID: r.ID, SiteID: r.SiteID, Email: r.Email, Lang: r.Lang, ConfirmHash: r.ConfirmHash,
		ConfirmExpires: r.ConfirmExpiresAt.Time, ConfirmSentAt: r.ConfirmSentAt.Time, ConfirmedAt: r.ConfirmedAt.Time,
		UnsubscribedAt: r.UnsubscribedAt.Time, CreatedAt: r.CreatedAt}
}

type followRow struct {
	SubscriptionID int64
	CommentID      int64
	CreatedAt      time.Time
}

func (followRow) TableName() string { return "reader_follows" }

type readerMailRow struct {
	ID             int64
	DedupKey       string
	Kind           string
	SiteID         int64
	SubscriptionID int64
	CommentID      sql.NullInt64
	Secret         string
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	LeaseUntil     sql.NullTime
	LastError      string
	CreatedAt      time.Time
	SentAt         sql.NullTime
}

func (readerMailRow) TableName() string { return "reader_mail" }

func (r readerMailRow) mail() reader.Mail {
	return reader.Mail{ID: r.ID, DedupKey: r.DedupKey, Kind: reader.Kind(r.Kind), SiteID: r.SiteID,
		SubscriptionID: r.SubscriptionID, CommentID: r.CommentID.Int64, Secret: r.Secret,
		Status: comment.NotificationStatus(r.Status), Attempts: r.Attempts, NextAttemptAt: r.NextAttemptAt,
		CreatedAt: r.CreatedAt}
}

// SaveFollow records that the address follows the comment, creating the
// site's subscription of the address if there is none. One that was
// unsubscribed starts again unconfirmed: following anew takes a new
// confirmation.
func (s *Store) SaveFollow(ctx context.Context, siteID int64, email, lang string, commentID int64, now time.Time) (reader.Subscription, error) {
	var row subscriptionRow
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "site_id"}, {Name: "email"}}, DoNothing: true}).
			Create(&subscriptionRow{SiteID: siteID, Email: email, Lang: lang, CreatedAt: now.UTC()}).Error
		if err != nil {
			return err
		}
		if err := tx.Where("site_id = ? AND email = ?", siteID, email).Take(&row).Error; err != nil {
			return err
		}
		set := map[string]any{"lang": lang}
		if row.UnsubscribedAt.Valid {
			set["unsubscribed_at"], set["confirmed_at"] = nil, nil
		}
		if err := tx.Model(&subscriptionRow{}).Where("id = ?", row.ID).Updates(set).Error; err != nil {
			return err
		}
		row.Lang = lang
		if row.UnsubscribedAt.Valid {
			row.UnsubscribedAt, row.ConfirmedAt = sql.NullTime{}, sql.NullTime{}
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&followRow{SubscriptionID: row.ID, CommentID: commentID, CreatedAt: now.UTC()}).Error
	})
	return row.subscription(), translate(err, "subscription save")
}

// StartConfirmation stores a new confirmation token hash and queues m,
// unless the subscription is confirmed or had a confirmation queued after
// notSince. The one conditional update makes the hourly limit hold when
// replicas race. Confirmation mails still queued with an older token are
// cancelled: their links would not work.
func (s *Store) StartConfirmation(ctx context.Context, subID int64, hash string, expires, now, notSince time.Time, m reader.Mail) (bool, error) {
	started := false
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&subscriptionRow{}).
			Where("id = ? AND confirmed_at IS NULL AND (confirm_sent_at IS NULL OR confirm_sent_at <= ?)", subID, notSince.UTC()).
			Updates(map[string]any{"confirm_hash": hash, "confirm_expires_at": expires.UTC(), "confirm_sent_at": now.UTC()})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		started = true
		if err := cancelReaderMail(tx, subID, "kind = 'confirm'", "a newer confirmation was sent"); err != nil {
			return err
		}
		return createReaderMail(tx, []reader.Mail{m})
	})
	return started, translate(err, "confirmation start")
}

// cancelReaderMail cancels a subscription's pending mails that where selects.
func cancelReaderMail(tx *gorm.DB, subID int64, where, why string) error {
	return tx.Model(&readerMailRow{}).Where("subscription_id = ? AND status = 'pending' AND "+where, subID).
		Updates(map[string]any{"status": string(comment.NotificationCancelled), "secret": "", "last_error": why}).Error
}

func createReaderMail(tx *gorm.DB, ms []reader.Mail) error {
	if len(ms) == 0 {
		return nil
	}
	rows := make([]readerMailRow, len(ms))
	for i, m := range ms {
		rows[i] = readerMailRow{DedupKey: m.DedupKey, Kind: string(m.Kind), SiteID: m.SiteID, SubscriptionID: m.SubscriptionID,
			CommentID: nullID(m.CommentID), Secret: m.Secret, Status: string(comment.NotificationPending),
			NextAttemptAt: m.NextAttemptAt.UTC(), CreatedAt: m.CreatedAt.UTC()}
	}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "dedup_key"}}, DoNothing: true}).
		CreateInBatches(rows, 200).Error
}

// FindSubscriptionByConfirmHash returns the subscription whose pending
// confirmation has the hash.
func (s *Store) FindSubscriptionByConfirmHash(ctx context.Context, hash string) (reader.Subscription, error) {
	var row subscriptionRow
	err := s.db.WithContext(ctx).Where("confirm_hash = ? AND confirm_hash <> ''", hash).Take(&row).Error
	return row.subscription(), translate(err, "subscription find")
}

// FindSubscriptionByID returns one subscription.
func (s *Store) FindSubscriptionByID(ctx context.Context, id int64) (reader.Subscription, error) {
	var row subscriptionRow
	err := s.db.WithContext(ctx).Take(&row, id).Error
	return row.subscription(), translate(err, "subscription find")
}

// ConfirmSubscription marks a subscription confirmed and forgets its token.
func (s *Store) ConfirmSubscription(ctx context.Context, id int64, now time.Time) error {
	return s.updateSubscription(ctx, id, map[string]any{"confirmed_at": now.UTC(), "confirm_hash": "", "confirm_expires_at": nil},
		"kind = 'confirm'", "confirmed")
}

// Unsubscribe marks a subscription unsubscribed, forgets what it follows
// and cancels its pending mail.
func (s *Store) Unsubscribe(ctx context.Context, id int64, now time.Time) error {
	return s.updateSubscription(ctx, id, map[string]any{"unsubscribed_at": now.UTC(), "confirm_hash": "", "confirm_expires_at": nil},
		"TRUE", "unsubscribed")
}

// updateSubscription changes a subscription and cancels the pending mail
// that cancel selects, in one transaction; unsubscribing (why) also drops
// its follows.
func (s *Store) updateSubscription(ctx context.Context, id int64, set map[string]any, cancel, why string) error {
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&subscriptionRow{}).Where("id = ?", id).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		if why == "unsubscribed" {
			if err := tx.Where("subscription_id = ?", id).Delete(&followRow{}).Error; err != nil {
				return err
			}
		}
		return cancelReaderMail(tx, id, cancel, why)
	})
	return translate(err, "subscription update")
}

// replySweepWhere selects the shown replies whose parent's followers were
// not told of them yet: the partial index comments_followers_due.
const replySweepWhere = "NOT followers_notified AND parent_id IS NOT NULL AND status = 'approved'"

// SweepReplies hands fn up to limit shown replies (oldest first) whose
// parent's followers were not yet told of them, with the parent's active
// followers, and in the same transaction queues the mails fn returns
// (skipping dedup keys already there) and marks the replies done. A reply
// held for moderation stays out of the sweep until it is approved. On
// PostgreSQL the replies are locked with SKIP LOCKED, so replicas share
// the work.
func (s *Store) SweepReplies(ctx context.Context, now time.Time, limit int, fn func([]reader.Reply) []reader.Mail) (int, error) {
	n := 0
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Where(replySweepWhere).Order("id").Limit(limit)
		if s.engine == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []commentRow
		if err := q.Find(&rows).Error; err != nil || len(rows) == 0 {
			return err
		}
		n = len(rows)
		ids, parents := make([]int64, n), make([]int64, n)
		for i, r := range rows {
			ids[i], parents[i] = r.ID, r.ParentID.Int64
		}
		followers, err := activeFollowers(tx, parents)
		if err != nil {
			return err
		}
		replies := make([]reader.Reply, n)
		for i, r := range rows {
			replies[i] = reader.Reply{Comment: r.comment(), Followers: followers[r.ParentID.Int64]}
		}
		if err := createReaderMail(tx, fn(replies)); err != nil {
			return err
		}
		return tx.Model(&commentRow{}).Where("id IN ?", ids).Update("followers_notified", true).Error
	})
	return n, translate(err, "replies sweep")
}

// activeFollowers returns the confirmed, subscribed followers of each comment.
func activeFollowers(tx *gorm.DB, commentIDs []int64) (map[int64][]reader.Subscription, error) {
	var follows []followRow
	err := tx.Where("comment_id IN ? AND subscription_id IN (SELECT id FROM reader_subscriptions "+
		"WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL)", commentIDs).Order("subscription_id").Find(&follows).Error
	if err != nil || len(follows) == 0 {
		return nil, err
	}
	ids := make([]int64, len(follows))
	for i, f := range follows {
		ids[i] = f.SubscriptionID
	}
	var subs []subscriptionRow
	if err := tx.Where("id IN ?", ids).Find(&subs).Error; err != nil {
		return nil, err
	}
	byID := make(map[int64]reader.Subscription, len(subs))
	for _, r := range subs {
		byID[r.ID] = r.subscription()
	}
	out := map[int64][]reader.Subscription{}
	for _, f := range follows {
		out[f.CommentID] = append(out[f.CommentID], byID[f.SubscriptionID])
	}
	return out, nil
}

// ClaimReaderMail leases up to limit pending reader mails that are due at
// now until now+lease, and counts the attempt (see claimDue).
func (s *Store) ClaimReaderMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]reader.Mail, error) {
	return claimDue(ctx, s, now, lease, limit, "reader mail claim", func(r readerMailRow) int64 { return r.ID },
		func(r readerMailRow) reader.Mail {
			r.Attempts++
			return r.mail()
		})
}

// FinishReaderMail records what became of a claimed reader mail. A
// confirmation's token is forgotten once its mail is finished.
func (s *Store) FinishReaderMail(ctx context.Context, id int64, status comment.NotificationStatus, next time.Time, lastErr string, at time.Time) error {
	set := finishSet(status, next, lastErr, at)
	if status != comment.NotificationPending {
		set["secret"] = ""
	}
	err := s.db.WithContext(ctx).Model(&readerMailRow{}).Where("id = ?", id).Updates(set).Error
	return translate(err, "reader mail finish")
}

// FindReaderMail returns the reader mails of a subscription, oldest first
// (for tests and support).
func (s *Store) FindReaderMail(ctx context.Context, subID int64) ([]reader.Mail, error) {
	var rows []readerMailRow
	if err := s.db.WithContext(ctx).Where("subscription_id = ?", subID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "reader mail find")
	}
	out := make([]reader.Mail, len(rows))
	for i, r := range rows {
		out[i] = r.mail()
	}
	return out, nil
}
