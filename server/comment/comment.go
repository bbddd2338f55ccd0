package comment

import "time"

// Status is where a comment stands in moderation.
type Status string

// The statuses. Only StatusApproved comments are shown to readers; the others
// stay in the database (Parley never silently deletes).
const (
	StatusApproved Status = "approved"
	StatusPending  Status = "pending" // held for moderation
	StatusSpam     Status = "spam"
	StatusHidden   Status = "hidden"  // hidden by staff, with a reason
	StatusDeleted  Status = "deleted" // withdrawn by its author
)

// Site is one blog (or blog network) that embeds Parley.
type Site struct {
	ID    int64
	Name  string // the data-site value, [a-z0-9-]
	Title string
	// Origins are the scheme://host[:port] values the blog is served from.
	// The special value "self" allows the origin Parley itself is served on.
	Origins []string
	// EditWindow is how long a reader may edit or delete their own comment.
	EditWindow time.Duration
	CreatedAt  time.Time
}

// Thread is the discussion of one page, keyed by the page's path.
type Thread struct {
	ID        int64
	SiteID    int64
	Path      string // the key: see ThreadPath
	URL       string // the page address as first seen
	Title     string
	CreatedAt time.Time
}

// Comment is one comment of a thread.
type Comment struct {
	ID       int64
	ThreadID int64
	ParentID int64 // 0 for a top-level comment
	Author   string
	Email    string // private: never in a public response
	Website  string
	Body     string // the Markdown source
	HTML     string // Body rendered and sanitised at write time
	Status   Status
	Official bool // written by the site's staff
	// ClientHash is a keyed hash of the client address, for abuse control.
	// The raw address is never stored.
	ClientHash    string
	EditTokenHash string // hex SHA-256 of the reader's edit token
	CreatedAt     time.Time
	EditedAt      time.Time // zero if never edited
}

// Update changes some fields of a comment; nil pointers mean "leave as is".
type Update struct {
	Body     *string
	HTML     *string
	Status   *Status
	Email    *string
	Website  *string
	Author   *string
	EditedAt *time.Time
}
