package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

type commentRow struct {
	ID            int64
	SiteID        int64
	ThreadID      int64
	ParentID      sql.NullInt64
	Author        string
	Email         string
	Website       string
	Body          string
	HTML          string `gorm:"column:html"`
	Status        string
	Official      bool
	ClientHash    string
	EditTokenHash string
	CreatedAt     time.Time
	EditedAt      sql.NullTime

	StaffID          sql.NullInt64
	ReplyState       string
	AnsweredAt       sql.NullTime
	StateReason      string
	ModerationReason string
	FlagReason       string
	BodyHash         string

	AssigneeID   sql.NullInt64
	DueAt        sql.NullTime
	AlertStep    int
	NextAlertAt  sql.NullTime
	ReplySeconds sql.NullInt64
	Negativity   sql.NullFloat64
	// FollowersNotified: the reader mail worker has told the parent's
	// followers of this reply (false for a new comment; bulk loads and
	// imports are true and never mail anyone).
	FollowersNotified bool
}

func (commentRow) TableName() string { return "comments" }

func (r commentRow) comment() comment.Comment {
	return comment.Comment{ID: r.ID, ThreadID: r.ThreadID, ParentID: r.ParentID.Int64,
		Author: r.Author, Email: r.Email, Website: r.Website, Body: r.Body, HTML: r.HTML,
		Status: comment.Status(r.Status), Official: r.Official, ClientHash: r.ClientHash,
		EditTokenHash: r.EditTokenHash, CreatedAt: r.CreatedAt, EditedAt: r.EditedAt.Time,
		SiteID: r.SiteID, StaffID: r.StaffID.Int64, ReplyState: comment.ReplyState(r.ReplyState),
		AnsweredAt: r.AnsweredAt.Time, StateReason: r.StateReason, ModerationReason: r.ModerationReason,
		FlagReason: r.FlagReason, BodyHash: r.BodyHash,
		AssigneeID: r.AssigneeID.Int64, DueAt: r.DueAt.Time, AlertStep: r.AlertStep, NextAlertAt: r.NextAlertAt.Time,
		ReplyTime: time.Duration(r.ReplySeconds.Int64) * time.Second, Negativity: r.Negativity.Float64}
}

func commentRowOf(c comment.Comment) commentRow {
	return commentRow{ID: c.ID, ThreadID: c.ThreadID,
		ParentID: sql.NullInt64{Int64: c.ParentID, Valid: c.ParentID != 0},
		Author:   c.Author, Email: c.Email, Website: c.Website, Body: c.Body, HTML: c.HTML,
		Status: string(c.Status), Official: c.Official, ClientHash: c.ClientHash,
		EditTokenHash: c.EditTokenHash, CreatedAt: c.CreatedAt,
		EditedAt: sql.NullTime{Time: c.EditedAt, Valid: !c.EditedAt.IsZero()},
		SiteID:   c.SiteID, StaffID: sql.NullInt64{Int64: c.StaffID, Valid: c.StaffID != 0},
		ReplyState: string(c.ReplyState), AnsweredAt: sql.NullTime{Time: c.AnsweredAt, Valid: !c.AnsweredAt.IsZero()},
		StateReason: c.StateReason, ModerationReason: c.ModerationReason, FlagReason: c.FlagReason, BodyHash: c.BodyHash,
		AssigneeID: nullID(c.AssigneeID), DueAt: nullTime(c.DueAt), AlertStep: c.AlertStep,
		NextAlertAt:  nullTime(c.NextAlertAt),
		ReplySeconds: sql.NullInt64{Int64: int64(c.ReplyTime / time.Second), Valid: !c.AnsweredAt.IsZero()},
		Negativity:   sql.NullFloat64{Float64: c.Negativity, Valid: !c.Official}}
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func nullTime(t time.Time) sql.NullTime { return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()} }

// FindCommentByID returns one comment.
func (s *Store) FindCommentByID(ctx context.Context, id int64) (comment.Comment, error) {
	var row commentRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return comment.Comment{}, translate(err, "comment find")
	}
	return row.comment(), nil
}

// FindThreadComments returns every comment of a thread, oldest first.
func (s *Store) FindThreadComments(ctx context.Context, threadID int64) ([]comment.Comment, error) {
	var rows []commentRow
	err := s.db.WithContext(ctx).Where("thread_id = ?", threadID).Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "comments find")
	}
	out := make([]comment.Comment, len(rows))
	for i, r := range rows {
		out[i] = r.comment()
	}
	return out, nil
}

// CreateComment stores a new comment.
func (s *Store) CreateComment(ctx context.Context, c comment.Comment) (comment.Comment, error) {
	row := commentRowOf(c)
	row.ID = 0
	if row.ReplyState == "" {
		row.ReplyState = string(comment.ReplyOpen)
		if row.Official {
			row.ReplyState = string(comment.ReplyStaff)
		}
	}
	if row.SiteID == 0 {
		t, err := s.FindThreadByID(ctx, row.ThreadID)
		if err != nil {
			return comment.Comment{}, err
		}
		row.SiteID = t.SiteID
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return comment.Comment{}, translate(err, "comment create")
	}
	return row.comment(), nil
}

// CreateComments stores many comments in batches (imports, benchmarks). Each
// comment must carry its SiteID.
func (s *Store) CreateComments(ctx context.Context, cs []comment.Comment) error {
	rows := make([]commentRow, len(cs))
	for i, c := range cs {
		rows[i] = commentRowOf(c)
		rows[i].ID, rows[i].FollowersNotified = 0, true
	}
	return translate(s.db.WithContext(ctx).CreateInBatches(rows, 500).Error, "comments create")
}

// UpdateComment changes the fields set in u and returns the comment.
func (s *Store) UpdateComment(ctx context.Context, id int64, u comment.Update) (comment.Comment, error) {
	set := map[string]any{}
	put := func(col string, v *string) {
		if v != nil {
			set[col] = *v
		}
	}
	put("body", u.Body)
	put("html", u.HTML)
	put("email", u.Email)
	put("website", u.Website)
	put("author", u.Author)
	if u.Status != nil {
		set["status"] = string(*u.Status)
	}
	if u.EditedAt != nil {
		set["edited_at"] = u.EditedAt.UTC()
	}
	put("state_reason", u.StateReason)
	put("moderation_reason", u.ModerationReason)
	if u.ReplyState != nil {
		set["reply_state"] = string(*u.ReplyState)
	}
	if u.AnsweredAt != nil {
		set["answered_at"] = nullTime(*u.AnsweredAt)
	}
	if u.AssigneeID != nil {
		set["assignee_id"] = nullID(*u.AssigneeID)
	}
	if u.AlertStep != nil {
		set["alert_step"] = *u.AlertStep
	}
	if u.NextAlertAt != nil {
		set["next_alert_at"] = nullTime(*u.NextAlertAt)
	}
	if u.ReplyTime != nil {
		set["reply_seconds"] = int64(*u.ReplyTime / time.Second)
	}
	if u.Negativity != nil {
		set["negativity"] = *u.Negativity
	}
	if len(set) > 0 {
		res := s.db.WithContext(ctx).Model(&commentRow{}).Where("id = ?", id).Updates(set)
		if res.Error != nil {
			return comment.Comment{}, translate(res.Error, "comment update")
		}
		if res.RowsAffected == 0 {
			return comment.Comment{}, comment.Errorf(comment.NotFound, "There is no such comment.")
		}
	}
	return s.FindCommentByID(ctx, id)
}

// HasOfficialReply reports whether staff replied directly to a comment.
func (s *Store) HasOfficialReply(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&commentRow{}).
		Where("parent_id = ? AND official AND status = ?", id, comment.StatusApproved).Limit(1).Count(&n).Error
	return n > 0, translate(err, "comment replies")
}

// DeleteComment removes a comment row; one with replies cannot go.
func (s *Store) DeleteComment(ctx context.Context, id int64) error {
	var n int64
	db := s.db.WithContext(ctx)
	if err := db.Model(&commentRow{}).Where("parent_id = ?", id).Count(&n).Error; err != nil {
		return translate(err, "comment delete")
	}
	if n > 0 {
		return comment.Errorf(comment.Conflict, "This comment has replies; hide it instead.")
	}
	res := db.Delete(&commentRow{}, id)
	if res.Error != nil {
		return translate(res.Error, "comment delete")
	}
	if res.RowsAffected == 0 {
		return comment.Errorf(comment.NotFound, "There is no such comment.")
	}
	return nil
}

// FindCommentByHash returns a comment of the site with the text hash,
// created after since.
func (s *Store) FindCommentByHash(ctx context.Context, siteID int64, hash string, since time.Time) (comment.Comment, error) {
	var row commentRow
	err := s.db.WithContext(ctx).Where("site_id = ? AND body_hash = ? AND created_at > ?", siteID, hash, since.UTC()).
		Order("id").Take(&row).Error
	if err != nil {
		return comment.Comment{}, translate(err, "comment find")
	}
	return row.comment(), nil
}

// HasApprovedFromEmail reports whether the site shows a comment from email.
func (s *Store) HasApprovedFromEmail(ctx context.Context, siteID int64, email string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&commentRow{}).
		Where("site_id = ? AND email = ? AND status = ?", siteID, email, comment.StatusApproved).Limit(1).Count(&n).Error
	return n > 0, translate(err, "comments from email")
}

// CountComments counts the visible comments of a site's page paths.
func (s *Store) CountComments(ctx context.Context, siteID int64, paths []string) (map[string]int, error) {
	var rows []struct {
		Path  string
		Count int
	}
	err := s.db.WithContext(ctx).Table("threads").
		Select("threads.path, COUNT(comments.id) AS count").
		Joins("JOIN comments ON comments.thread_id = threads.id AND comments.status = ?", comment.StatusApproved).
		Where("threads.site_id = ? AND threads.path IN ?", siteID, paths).
		Group("threads.path").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "comments count")
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Path] = r.Count
	}
	return out, nil
}
