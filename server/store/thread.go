package store

import (
	"cmp"
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parleyhq/parley/server/comment"
)

type threadRow struct {
	ID        int64
	SiteID    int64
	Path      string
	URL       string
	Title     string
	Author    string
	CreatedAt time.Time
}

func (threadRow) TableName() string { return "threads" }

func (r threadRow) thread() comment.Thread {
	return comment.Thread{ID: r.ID, SiteID: r.SiteID, Path: r.Path, URL: r.URL, Title: r.Title, Author: r.Author, CreatedAt: r.CreatedAt}
}

// FindThread returns the thread of a site's page path.
func (s *Store) FindThread(ctx context.Context, siteID int64, path string) (comment.Thread, error) {
	var row threadRow
	err := s.db.WithContext(ctx).Where("site_id = ? AND path = ?", siteID, path).Take(&row).Error
	if err != nil {
		return comment.Thread{}, translate(err, "thread find")
	}
	return row.thread(), nil
}

// FindThreadByID returns one thread.
func (s *Store) FindThreadByID(ctx context.Context, id int64) (comment.Thread, error) {
	var row threadRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return comment.Thread{}, translate(err, "thread find")
	}
	return row.thread(), nil
}

// EnsureThread returns the thread of t.SiteID and t.Path, creating it from t
// if there is none. A thread first seen without a title takes the first
// title a later comment brings.
func (s *Store) EnsureThread(ctx context.Context, t comment.Thread) (comment.Thread, error) {
	db := s.db.WithContext(ctx)
	var row threadRow
	err := db.Where("site_id = ? AND path = ?", t.SiteID, t.Path).Take(&row).Error
	switch {
	case err == nil:
		if row.Title == "" && t.Title != "" || row.URL == "" && t.URL != "" || row.Author == "" && t.Author != "" {
			row.Title, row.URL = cmp.Or(row.Title, t.Title), cmp.Or(row.URL, t.URL)
			row.Author = cmp.Or(row.Author, t.Author)
			err = db.Model(&row).Select("title", "url", "author").Updates(&row).Error
		}
		return row.thread(), translate(err, "thread update")
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return comment.Thread{}, translate(err, "thread find")
	}
	row = threadRow{SiteID: t.SiteID, Path: t.Path, URL: t.URL, Title: t.Title, Author: t.Author}
	// Another writer may create the same thread between the read and here
	// (several replicas); then take theirs.
	err = db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	if err != nil {
		return comment.Thread{}, translate(err, "thread create")
	}
	if row.ID == 0 {
		return s.FindThread(ctx, t.SiteID, t.Path)
	}
	return row.thread(), nil
}
