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
	// Moderation says which new reader comments wait for approval.
	Moderation Moderation
	// Blocklist holds patterns (words, names, emails, domains; * matches
	// anything) that mark a comment as spam.
	Blocklist []string
	// MaxLinks is how many links a comment may hold before it is held.
	MaxLinks int
	// TimeZone, Hours and Holidays define the site's business time (see
	// package sla for their text forms); ReplyTarget is how much business
	// time an official reply may take.
	TimeZone    string
	Hours       string
	Holidays    string
	ReplyTarget time.Duration
	// AckTexts are the owner's wordings of the acknowledgement a reader
	// sees after posting, by language (see package ack, which checks
	// them); a language left out gets the default.
	AckTexts map[string]string
	// Assignees answer comments on posts whose author is not in Authors.
	Assignees []int64
	// Authors maps post authors (as the embed names them) to staff.
	Authors   []AuthorRoute
	CreatedAt time.Time
}

// AuthorRoute sends the comments on one author's posts to a staff member.
type AuthorRoute struct {
	Author string // as in data-author or <meta name="author">; matched without regard to case
	UserID int64
}

// Moderation is a site's pre-moderation mode.
type Moderation string

// The pre-moderation modes.
const (
	ModerationOff   Moderation = "off"   // comments appear at once (unless a check holds them)
	ModerationAll   Moderation = "all"   // every reader comment waits for approval
	ModerationFirst Moderation = "first" // a commenter's first comment (by email) waits
	ModerationLinks Moderation = "links" // comments with links wait
)

// ReplyState tells whether a reader comment still needs an official reply.
type ReplyState string

// The reply states.
const (
	ReplyOpen      ReplyState = "open"       // needs an official reply
	ReplyAnswered  ReplyState = "answered"   // staff replied to it directly
	ReplyNotNeeded ReplyState = "not_needed" // staff said none is needed, with a reason
	ReplyStaff     ReplyState = "staff"      // written by staff: nothing to answer
)

// Thread is the discussion of one page, keyed by the page's path.
type Thread struct {
	ID        int64
	SiteID    int64
	Path      string // the key: see ThreadPath
	URL       string // the page address as first seen
	Title     string
	Author    string // the post's author, as the embed names it
	CreatedAt time.Time
}

// Comment is one comment of a thread.
type Comment struct {
	ID       int64
	SiteID   int64
	ThreadID int64
	ParentID int64 // 0 for a top-level comment
	Author   string
	Email    string // private: never in a public response
	Website  string
	Body     string // the Markdown source
	HTML     string // Body rendered and sanitised at write time
	Status   Status
	Official bool  // written by the site's staff
	StaffID  int64 // the staff member who wrote it, for official comments
	// ReplyState and AnsweredAt track the official answer; StateReason is
	// why staff said no reply is needed.
	ReplyState  ReplyState
	AnsweredAt  time.Time
	StateReason string
	// ModerationReason is why staff hid the comment.
	ModerationReason string
	// FlagReason is why the checks held the comment or marked it spam.
	FlagReason string
	// BodyHash identifies the text, to spot the same text posted again.
	BodyHash string
	// ClientHash is a keyed hash of the client address, for abuse control.
	// The raw address is never stored.
	ClientHash    string
	EditTokenHash string // hex SHA-256 of the reader's edit token
	CreatedAt     time.Time
	EditedAt      time.Time // zero if never edited

	// AssigneeID is the staff member who should answer; 0 means the
	// site's assignees.
	AssigneeID int64
	// DueAt is when the official reply is due (the reply target in the
	// site's business time); zero for staff replies.
	DueAt time.Time
	// AlertStep is the last alert step sent and NextAlertAt when the next
	// one is due (zero: none; see package alert).
	AlertStep   int
	NextAlertAt time.Time
	// ReplyTime is the business time the first official reply took.
	ReplyTime time.Duration
	// Negativity is the tone of a reader comment, 0 (calm or positive) to 1
	// (very negative); 0 when not scored (staff replies, imports).
	Negativity float64
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

	ReplyState       *ReplyState
	AnsweredAt       *time.Time // the zero time clears it
	StateReason      *string
	ModerationReason *string

	AssigneeID  *int64 // 0 clears it
	AlertStep   *int
	NextAlertAt *time.Time // the zero time clears it
	ReplyTime   *time.Duration
	Negativity  *float64
}
