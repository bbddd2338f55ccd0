package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

type commentRow struct {
	ID            int64
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
}

func (commentRow) TableName() string { return "comments" }

func (r commentRow) comment() comment.Comment {
	return comment.Comment{ID: r.ID, ThreadID: r.ThreadID, ParentID: r.ParentID.Int64,
		Author: r.Author, Email: r.Email, Website: r.Website, Body: r.Body, HTML: r.HTML,
		Status: comment.Status(r.Status), Official: r.Official, ClientHash: r.ClientHash,
		EditTokenHash: r.EditTokenHash, CreatedAt: r.CreatedAt, EditedAt: r.EditedAt.Time}
}

func commentRowOf(c comment.Comment) commentRow {
	return commentRow{ID: c.ID, ThreadID: c.ThreadID,
		ParentID: sql.NullInt64{Int64: c.ParentID, Valid: c.ParentID != 0},
		Author:   c.Author, Email: c.Email, Website: c.Website, Body: c.Body, HTML: c.HTML,
		Status: string(c.Status), Official: c.Official, ClientHash: c.ClientHash,
		EditTokenHash: c.EditTokenHash, CreatedAt: c.CreatedAt,
		EditedAt: sql.NullTime{Time: c.EditedAt, Valid: !c.EditedAt.IsZero()}}
}

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
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return comment.Comment{}, translate(err, "comment create")
	}
	return row.comment(), nil
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
	if len(set) > 0 {
		res := s.db.WithContext(ctx).Model(&commentRow{}).Where("id = ?", id).Updates(set)
		if res.Error != nil {
			return comment.Comment{}, translate(res.Error, "comment update")
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
