package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parleyhq/parley/server/comment"
)

// FindComments returns one page of the comments f selects, each with its
// thread, and how many f selects in all.
func (s *Store) FindComments(ctx context.Context, f comment.Filter) ([]comment.Listed, int, error) {
	if f.SiteIDs != nil && len(f.SiteIDs) == 0 {
		return nil, 0, nil
	}
	q := s.filtered(s.db.WithContext(ctx).Model(&commentRow{}), f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "comments count")
	}
	var order any = "comments.created_at DESC, comments.id DESC"
	switch {
	case f.Urgent:
		order = urgentOrder(f.NegativeAt)
	case f.Oldest:
		order = "comments.created_at, comments.id"
	}
	var rows []commentRow
	if err := q.Order(order).Limit(f.Limit).Offset(f.Offset).Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "comments find")
	}
	out, err := s.listed(ctx, rows)
	if err != nil {
		return nil, 0, err
	}
	return out, int(total), nil
}

// urgentOrder is the inbox's order: negative comments first, then by due
// time (overdue first); a comment without a due time (imported) counts as
// due when it was posted. Unscored comments (NULL) are not negative. The
// sort reads every open comment of the sites rather than walking an
// index, which the inbox benchmark shows is fast enough for 10,000.
func urgentOrder(negativeAt float64) clause.OrderBy {
	return clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN comments.negativity >= ? THEN 0 ELSE 1 END, " +
		"COALESCE(comments.due_at, comments.created_at), comments.created_at, comments.id",
		Vars: []any{negativeAt}, WithoutParentheses: true}}
}

// listed pairs comments with their threads.
func (s *Store) listed(ctx context.Context, rows []commentRow) ([]comment.Listed, error) {
	threads, err := s.threadsByID(ctx, rows)
	if err != nil {
		return nil, err
	}
	out := make([]comment.Listed, len(rows))
	for i, r := range rows {
		out[i] = comment.Listed{Comment: r.comment(), Thread: threads[r.ThreadID]}
	}
	return out, nil
}

func (s *Store) filtered(q *gorm.DB, f comment.Filter) *gorm.DB {
	if f.SiteIDs != nil {
		q = q.Where("comments.site_id IN ?", f.SiteIDs)
	}
	if f.IDs != nil {
		q = q.Where("comments.id IN ?", append(f.IDs, 0))
	}
	if f.ThreadID != 0 {
		q = q.Where("comments.thread_id = ?", f.ThreadID)
	}
	if len(f.Statuses) > 0 {
		statuses := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			statuses[i] = string(st)
		}
		q = q.Where("comments.status IN ?", statuses)
	}
	if f.ReplyState != "" {
		// A literal, not a parameter: SQLite uses the partial inbox
		// indexes only when it can see that the query implies their WHERE.
		q = q.Where("comments.reply_state = '" + replyStateLiteral(f.ReplyState) + "'")
	}
	if f.Official != nil {
		q = q.Where("comments.official = ?", *f.Official)
	}
	if f.Query != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(f.Query)) + "%"
		q = q.Where(`(LOWER(comments.body) LIKE ? ESCAPE '\' OR LOWER(comments.author) LIKE ? ESCAPE '\')`, like, like)
	}
	return q
}

// threadsByID loads the threads of a page of comments in one query.
func (s *Store) threadsByID(ctx context.Context, rows []commentRow) (map[int64]comment.Thread, error) {
	ids := make([]int64, 0, len(rows))
	seen := map[int64]bool{}
	for _, r := range rows {
		if !seen[r.ThreadID] {
			seen[r.ThreadID] = true
			ids = append(ids, r.ThreadID)
		}
	}
	out := make(map[int64]comment.Thread, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var threads []threadRow
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&threads).Error; err != nil {
		return nil, translate(err, "threads find")
	}
	for _, t := range threads {
		out[t.ID] = t.thread()
	}
	return out, nil
}

// FindThreads summarises the threads of the sites (nil: all sites), most
// recently commented first.
func (s *Store) FindThreads(ctx context.Context, siteIDs []int64) ([]comment.ThreadSummary, error) {
	if siteIDs != nil && len(siteIDs) == 0 {
		return nil, nil
	}
	// A named field: gorm does not fill an embedded struct of an
	// unexported type (the posts list showed empty threads).
	var rows []struct {
		Thread   threadRow `gorm:"embedded"`
		Comments int
		Open     int
		Latest   string
	}
	q := s.db.WithContext(ctx).Table("threads").
		Select(`threads.*,
			COUNT(CASE WHEN comments.status = 'approved' THEN 1 END) AS comments,
			COUNT(CASE WHEN comments.reply_state = 'open' AND comments.status IN ('approved', 'pending') AND NOT comments.official THEN 1 END) AS open,
			COALESCE(MAX(comments.created_at), threads.created_at) AS latest`).
		Joins("LEFT JOIN comments ON comments.thread_id = threads.id").
		Group("threads.id").Order("latest DESC").Limit(1000)
	if siteIDs != nil {
		q = q.Where("threads.site_id IN ?", siteIDs)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, translate(err, "threads summarise")
	}
	out := make([]comment.ThreadSummary, len(rows))
	for i, r := range rows {
		out[i] = comment.ThreadSummary{Thread: r.Thread.thread(), Comments: r.Comments, Open: r.Open, Latest: parseTime(r.Latest)}
	}
	return out, nil
}

// parseTime reads a timestamp that an aggregate returned as text (SQLite
// loses the column type through MAX).
func parseTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

type auditRow struct {
	ID        int64
	SiteID    *int64
	UserID    *int64
	UserName  string
	Action    string
	CommentID int64
	Reason    string
	Detail    string
	CreatedAt time.Time
}

func (auditRow) TableName() string { return "audit_log" }

func nullable(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// CreateAudit appends to the audit log.
func (s *Store) CreateAudit(ctx context.Context, e comment.AuditEntry) error {
	row := auditRow{SiteID: nullable(e.SiteID), UserID: nullable(e.UserID), UserName: e.UserName, Action: string(e.Action),
		CommentID: e.CommentID, Reason: e.Reason, Detail: e.Detail, CreatedAt: e.CreatedAt}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "audit create")
}

// FindAudit returns one page of audit entries, newest first, and the total.
func (s *Store) FindAudit(ctx context.Context, f comment.AuditFilter) ([]comment.AuditEntry, int, error) {
	q := s.db.WithContext(ctx).Model(&auditRow{})
	if f.SiteIDs != nil {
		q = q.Where("site_id IN ?", f.SiteIDs)
	}
	if f.CommentID != 0 {
		q = q.Where("comment_id = ?", f.CommentID)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "audit count")
	}
	var rows []auditRow
	if err := q.Order("created_at DESC, id DESC").Limit(f.Limit).Offset(f.Offset).Find(&rows).Error; err != nil {
		return nil, 0, translate(err, "audit find")
	}
	out := make([]comment.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = comment.AuditEntry{ID: r.ID, SiteID: deref(r.SiteID), UserID: deref(r.UserID), UserName: r.UserName,
			Action: comment.Action(r.Action), CommentID: r.CommentID, Reason: r.Reason, Detail: r.Detail, CreatedAt: r.CreatedAt}
	}
	return out, int(total), nil
}

// replyStateLiteral returns a known reply state for inlining into SQL.
func replyStateLiteral(st comment.ReplyState) string {
	switch st {
	case comment.ReplyOpen, comment.ReplyAnswered, comment.ReplyNotNeeded, comment.ReplyStaff:
		return string(st)
	}
	return "unknown"
}
