package transfer

import (
	"context"

	"github.com/parleyhq/parley/server/comment"
)

// Store is the database imports write to and exports read from;
// server/store satisfies it.
type Store interface {
	// InImport runs fn in one transaction, committed when fn returns nil
	// and rolled back otherwise.
	InImport(ctx context.Context, fn func(tx ImportTx) error) error
	// InSnapshot runs fn over one consistent, read-only view of the
	// database, for exports while the server writes.
	InSnapshot(ctx context.Context, fn func(v View) error) error
	// Instance names this database (a random ID made once), so that an
	// export names its comments in a way no other Parley does.
	Instance(ctx context.Context) (string, error)
}

// ImportTx is the transaction of one import.
type ImportTx interface {
	// MaxCommentID returns the largest comment ID, 0 when there is none:
	// the comments this import creates all have larger ones.
	MaxCommentID(ctx context.Context) (int64, error)
	// EnsureThreads returns the ID of the thread of each t.SiteID and
	// t.Path, creating those that do not exist from ts, and filling in an
	// existing thread's empty URL, title or author; created counts the
	// threads it created.
	EnsureThreads(ctx context.Context, ts []comment.Thread) (ids []int64, created int, err error)
	// FindKeys returns the IDs of the site's comments with the import keys
	// (those it has).
	FindKeys(ctx context.Context, siteID int64, keys []string) (map[string]int64, error)
	// FindIDs reports which of ids are comments of the site.
	FindIDs(ctx context.Context, siteID int64, ids []int64) (map[int64]bool, error)
	// ReserveIDs returns n new comment IDs, for CreateRecords.
	ReserveIDs(ctx context.Context, n int) ([]int64, error)
	// CreateRecords stores comments with their IDs (from ReserveIDs) and
	// import keys; rs lists parents before their replies. Conflict when a
	// key is taken.
	CreateRecords(ctx context.Context, rs []Record) error
	// SetParents makes each Link.ID a reply to Link.ParentID (0: top level).
	SetParents(ctx context.Context, links []Link) error
	// FindCycles returns those of ids whose chain of parents leads back to
	// themselves.
	FindCycles(ctx context.Context, ids []int64) ([]int64, error)
	// FindComments returns the comments with the IDs it has.
	FindComments(ctx context.Context, ids []int64) ([]comment.Comment, error)
	// MarkAnswered stores each comment's ReplyState, AnsweredAt and
	// ReplyTime, and ends its alerts.
	MarkAnswered(ctx context.Context, cs []comment.Comment) error
}

// View reads one site's data for an export, in pages (keyset paging by ID).
type View interface {
	// ThreadsAfter returns up to limit threads of the site with IDs above
	// after, by ID.
	ThreadsAfter(ctx context.Context, siteID, after int64, limit int) ([]comment.Thread, error)
	// RecordsAfter returns up to limit comments of the site with IDs above
	// after, by ID, with their own and their parent's import keys.
	RecordsAfter(ctx context.Context, siteID, after int64, limit int) ([]Record, error)
}

// Record is a stored comment with the keys that name it in other systems.
type Record struct {
	comment.Comment
	// Key is the import key ("disqus:123"); "" for a comment written in
	// this Parley.
	Key string
	// ParentKey is the parent's import key (RecordsAfter only).
	ParentKey string
}

// Link makes comment ID a reply to ParentID, or a top-level comment when
// ParentID is 0.
type Link struct {
	ID, ParentID int64
}
