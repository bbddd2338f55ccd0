package store

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/crisis"
)

type crisisRow struct {
	ID            int64
	SiteID        int64
	ThreadID      sql.NullInt64
	Reason        string
	Negative      int
	Unanswered    int
	UsualNegative float64
	UsualComments float64
	StartedAt     time.Time
	LastSeenAt    time.Time
	EndedAt       sql.NullTime
}

func (crisisRow) TableName() string { return "crises" }

func (r crisisRow) crisis() crisis.Crisis {
	return crisis.Crisis{ID: r.ID, Scope: crisis.Scope{SiteID: r.SiteID, ThreadID: r.ThreadID.Int64},
		Reason: crisis.Reason(r.Reason), Negative: r.Negative, Unanswered: r.Unanswered,
		UsualNegative: r.UsualNegative, UsualComments: r.UsualComments,
		StartedAt: r.StartedAt, LastSeenAt: r.LastSeenAt, EndedAt: r.EndedAt.Time}
}

// crisisCounted are the comments a crisis counts: live reader comments
// (scored: staff replies and imports have no score) that are not spam or
// withdrawn.
const crisisCounted = "comments.negativity IS NOT NULL AND comments.status NOT IN ('spam', 'deleted')"

// tallySelect counts all, negative (the one parameter: the threshold) and
// unanswered comments.
const tallySelect = "COUNT(*) AS comments, " +
	"COALESCE(SUM(CASE WHEN comments.negativity >= ? THEN 1 ELSE 0 END), 0) AS negative, " +
	"COALESCE(SUM(CASE WHEN comments.reply_state = 'open' THEN 1 ELSE 0 END), 0) AS unanswered"

// CountRecent tallies, per post, the comments posted since since. The
// recent comments are read in a subquery through the index on created_at;
// grouped directly, SQLite would rather walk a whole (site_id, created_at)
// index for the grouping. LIMIT -1 keeps SQLite from flattening it.
func (s *Store) CountRecent(ctx context.Context, since time.Time, negativeAt float64) ([]crisis.Tally, error) {
	recent := "SELECT site_id, thread_id, negativity, reply_state FROM comments WHERE comments.created_at >= ? AND " + crisisCounted
	if s.engine != "postgres" {
		recent += " LIMIT -1"
	}
	var rows []struct {
		SiteID, ThreadID               int64
		Comments, Negative, Unanswered int
	}
	err := s.db.WithContext(ctx).Raw("SELECT comments.site_id, comments.thread_id, "+tallySelect+
		" FROM ("+recent+") AS comments GROUP BY comments.site_id, comments.thread_id ORDER BY comments.site_id, comments.thread_id",
		negativeAt, since.UTC()).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "crisis count recent")
	}
	out := make([]crisis.Tally, len(rows))
	for i, r := range rows {
		out[i] = crisis.Tally{Scope: crisis.Scope{SiteID: r.SiteID, ThreadID: r.ThreadID},
			Comments: r.Comments, Negative: r.Negative, Unanswered: r.Unanswered}
	}
	return out, nil
}

// CountUsual tallies a post's (or, with ThreadID 0, a site's) comments
// posted in [from, to), through the post's or the site's created_at index.
func (s *Store) CountUsual(ctx context.Context, sc crisis.Scope, from, to time.Time, negativeAt float64) (crisis.Tally, error) {
	var row struct{ Comments, Negative, Unanswered int }
	q := s.db.WithContext(ctx).Model(&commentRow{}).Select(tallySelect, negativeAt).
		Where("comments.created_at >= ? AND comments.created_at < ? AND "+crisisCounted, from.UTC(), to.UTC())
	if sc.ThreadID != 0 {
		q = q.Where("comments.thread_id = ?", sc.ThreadID)
	} else {
		q = q.Where("comments.site_id = ?", sc.SiteID)
	}
	if err := q.Scan(&row).Error; err != nil {
		return crisis.Tally{}, translate(err, "crisis count usual")
	}
	return crisis.Tally{Scope: sc, Comments: row.Comments, Negative: row.Negative, Unanswered: row.Unanswered}, nil
}

// FindOpenCrises returns the open crises of the sites (nil: all), oldest first.
func (s *Store) FindOpenCrises(ctx context.Context, siteIDs []int64) ([]crisis.Crisis, error) {
	q := s.db.WithContext(ctx).Where("ended_at IS NULL").Order("started_at, id")
	if siteIDs != nil {
		q = q.Where("site_id IN ?", append([]int64{0}, siteIDs...))
	}
	var rows []crisisRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err, "crises find open")
	}
	out := make([]crisis.Crisis, len(rows))
	for i, r := range rows {
		out[i] = r.crisis()
	}
	return out, nil
}

// OpenCrisis stores c and the notifications alerts plans for it, in one
// transaction, unless a crisis of its scope is open: the unique index on
// open crises turns a second replica's insert into nothing (ON CONFLICT DO
// NOTHING, which on PostgreSQL waits for the first to commit).
func (s *Store) OpenCrisis(ctx context.Context, c crisis.Crisis, alerts func(crisis.Crisis) []comment.Notification) (crisis.Crisis, bool, error) {
	row := crisisRow{SiteID: c.Scope.SiteID, ThreadID: nullID(c.Scope.ThreadID), Reason: string(c.Reason),
		Negative: c.Negative, Unanswered: c.Unanswered, UsualNegative: c.UsualNegative, UsualComments: c.UsualComments,
		StartedAt: c.StartedAt.UTC(), LastSeenAt: c.LastSeenAt.UTC()}
	created := false
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		created = true
		return createNotifications(tx, alerts(row.crisis()))
	})
	if err != nil {
		return crisis.Crisis{}, false, translate(err, "crisis open")
	}
	return row.crisis(), created, nil
}

// SeeCrisis moves an open crisis's last sighting to at and keeps its
// highest counts; a crisis another replica has just ended stays ended.
func (s *Store) SeeCrisis(ctx context.Context, id int64, at time.Time, negative, unanswered int) error {
	err := s.db.WithContext(ctx).Model(&crisisRow{}).Where("id = ? AND ended_at IS NULL", id).Updates(map[string]any{
		"last_seen_at": at.UTC(),
		"negative":     gorm.Expr("CASE WHEN negative > ? THEN negative ELSE ? END", negative, negative),
		"unanswered":   gorm.Expr("CASE WHEN unanswered > ? THEN unanswered ELSE ? END", unanswered, unanswered)}).Error
	return translate(err, "crisis see")
}

// EndCrisis ends an open crisis last seen no later than quietSince.
func (s *Store) EndCrisis(ctx context.Context, id int64, quietSince, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&crisisRow{}).
		Where("id = ? AND ended_at IS NULL AND last_seen_at <= ?", id, quietSince.UTC()).
		Update("ended_at", at.UTC()).Error
	return translate(err, "crisis end")
}

// FindCrisisByID returns one crisis.
func (s *Store) FindCrisisByID(ctx context.Context, id int64) (crisis.Crisis, error) {
	var row crisisRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return crisis.Crisis{}, translate(err, "crisis find")
	}
	return row.crisis(), nil
}

// FindCrisisComments returns up to limit comments of a post or site posted
// since since, the most negative first, with their posts.
func (s *Store) FindCrisisComments(ctx context.Context, sc crisis.Scope, since time.Time, limit int) ([]comment.Listed, error) {
	q := s.db.WithContext(ctx).Where("comments.created_at >= ? AND "+crisisCounted, since.UTC())
	if sc.ThreadID != 0 {
		q = q.Where("comments.thread_id = ?", sc.ThreadID)
	} else {
		q = q.Where("comments.site_id = ?", sc.SiteID)
	}
	var rows []commentRow
	if err := q.Order("comments.negativity DESC, comments.created_at DESC, comments.id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "crisis comments")
	}
	return s.listed(ctx, rows)
}
