package store

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"

	"github.com/parleyhq/parley/server/answer"
	"github.com/parleyhq/parley/server/comment"
)

type answerRow struct {
	ID         int64
	SiteID     int64
	Title      string
	Body       string
	Uses       int
	LastUsedAt sql.NullTime
	CreatedBy  sql.NullInt64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (answerRow) TableName() string { return "saved_answers" }

func (r answerRow) answer() answer.Answer {
	a := answer.Answer{ID: r.ID, SiteID: r.SiteID, Title: r.Title, Body: r.Body, Uses: r.Uses,
		CreatedBy: r.CreatedBy.Int64, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.LastUsedAt.Valid {
		a.LastUsedAt = r.LastUsedAt.Time.UTC()
	}
	return a
}

// FindAnswers returns a site's saved answers by title.
func (s *Store) FindAnswers(ctx context.Context, siteID int64) ([]answer.Answer, error) {
	var rows []answerRow
	if err := s.db.WithContext(ctx).Where("site_id = ?", siteID).Order("title, id").Find(&rows).Error; err != nil {
		return nil, translate(err, "answers find")
	}
	out := make([]answer.Answer, len(rows))
	for i, r := range rows {
		out[i] = r.answer()
	}
	return out, nil
}

// FindAnswerByID returns one saved answer.
func (s *Store) FindAnswerByID(ctx context.Context, id int64) (answer.Answer, error) {
	var row answerRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return answer.Answer{}, translate(err, "answer find")
	}
	return row.answer(), nil
}

// CreateAnswer stores a new saved answer; Conflict when its site has one of
// that title.
func (s *Store) CreateAnswer(ctx context.Context, a answer.Answer) (answer.Answer, error) {
	row := answerRow{SiteID: a.SiteID, Title: a.Title, Body: a.Body, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
		CreatedBy: sql.NullInt64{Int64: a.CreatedBy, Valid: a.CreatedBy != 0}}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return answer.Answer{}, translate(err, "answer create")
	}
	return row.answer(), nil
}

// UpdateAnswer changes a saved answer's title and body.
func (s *Store) UpdateAnswer(ctx context.Context, id int64, title, body string, at time.Time) (answer.Answer, error) {
	res := s.db.WithContext(ctx).Model(&answerRow{}).Where("id = ?", id).
		Updates(map[string]any{"title": title, "body": body, "updated_at": at})
	if err := answerChanged(res, "answer update"); err != nil {
		return answer.Answer{}, err
	}
	return s.FindAnswerByID(ctx, id)
}

// DeleteAnswer removes a saved answer.
func (s *Store) DeleteAnswer(ctx context.Context, id int64) error {
	return answerChanged(s.db.WithContext(ctx).Delete(&answerRow{}, id), "answer delete")
}

// CountAnswerUse adds one to an answer's uses in a single statement, so
// that replies sent at the same moment each count.
func (s *Store) CountAnswerUse(ctx context.Context, id int64, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&answerRow{}).Where("id = ?", id).
		Updates(map[string]any{"uses": gorm.Expr("uses + 1"), "last_used_at": at})
	return answerChanged(res, "answer count")
}

// answerChanged is NotFound when res touched no row.
func answerChanged(res *gorm.DB, what string) error {
	if res.Error != nil {
		return translate(res.Error, what)
	}
	if res.RowsAffected == 0 {
		return comment.Errorf(comment.NotFound, "There is no such saved answer.")
	}
	return nil
}
