// Package answer holds saved answers: each site's library of replies that
// staff reuse, with placeholders ({name}, {post_title} …) filled in for the
// comment at hand, the check that a reply sent from one was personalised,
// and the count of how often each was used. It imports comment and the
// standard library.
package answer

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/server/comment"
)

// ActionSaved is the audit log's entry for a saved answer created, changed
// or deleted (the reason says which; the detail holds the text).
const ActionSaved comment.Action = "saved_answer"

// NotPersonalised is the error code of a reply that is a saved answer as
// inserted, sent without saying so is intended.
const NotPersonalised comment.Code = "not_personalised"

// Limits of a saved answer.
const (
	MaxTitleLength = 120
	MaxBodyLength  = comment.MaxBodyLength
	// MaxPerSite bounds a site's library: the picker lists them all.
	MaxPerSite = 200
)

// Answer is one saved answer of a site.
type Answer struct {
	ID         int64
	SiteID     int64
	Title      string
	Body       string // Markdown with placeholders
	Uses       int
	LastUsedAt time.Time // zero: never used
	CreatedBy  int64     // 0: the account is gone
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Store keeps saved answers. Finders return a NotFound *comment.Error when
// there is none.
type Store interface {
	// FindAnswers returns a site's answers by title.
	FindAnswers(ctx context.Context, siteID int64) ([]Answer, error)
	// FindAnswerByID returns one answer. NotFound.
	FindAnswerByID(ctx context.Context, id int64) (Answer, error)
	// CreateAnswer stores a new answer. Conflict when the site has one of
	// that title.
	CreateAnswer(ctx context.Context, a Answer) (Answer, error)
	// UpdateAnswer changes an answer's title and body. NotFound, Conflict.
	UpdateAnswer(ctx context.Context, id int64, title, body string, at time.Time) (Answer, error)
	// DeleteAnswer removes an answer. NotFound.
	DeleteAnswer(ctx context.Context, id int64) error
	// CreateAudit writes an entry of the audit log.
	CreateAudit(ctx context.Context, e comment.AuditEntry) error
}

// Counter counts a use of an answer: uses+1 in one statement, so that
// replies sent at once each count. NotFound. The transaction-bound store
// comment.Service hands a reply hook has it.
type Counter interface {
	CountAnswerUse(ctx context.Context, id int64, at time.Time) error
}

// Replies posts staff replies and looks sites up (comment.Service does).
type Replies interface {
	StaffReplyWith(ctx context.Context, a comment.Actor, parentID int64, body string, h comment.ReplyHooks) (comment.Comment, comment.Thread, error)
	SiteByID(id int64) (comment.Site, bool)
}

// Service applies the rules of saved answers.
type Service struct {
	store   Store
	replies Replies
	now     func() time.Time
}

// New returns a Service; now may be nil for time.Now.
func New(st Store, replies Replies, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, replies: replies, now: now}
}

// notFound is what an actor learns of an answer of a site they may not see.
func notFound() error { return comment.Errorf(comment.NotFound, "There is no such saved answer.") }

// clean checks and tidies a title and body. Errors: Invalid, BadEncoding.
func clean(title, body string) (string, string, error) {
	if !utf8.ValidString(title) || !utf8.ValidString(body) {
		return "", "", &comment.Error{Code: comment.BadEncoding, Message: "The saved answer is not valid UTF-8 text."}
	}
	title = strings.Join(strings.FieldsFunc(title, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	body = comment.CleanText(body)
	switch {
	case title == "":
		return "", "", comment.FieldError("title", "Give the answer a title.")
	case utf8.RuneCountInString(title) > MaxTitleLength:
		return "", "", comment.FieldError("title", "The title is longer than %d characters.", MaxTitleLength)
	case body == "":
		return "", "", comment.FieldError("body", "The answer is empty.")
	case utf8.RuneCountInString(body) > MaxBodyLength:
		return "", "", comment.FieldError("body", "The answer is longer than %d characters.", MaxBodyLength)
	}
	if unknown := Unknown(body); len(unknown) > 0 {
		return "", "", comment.FieldError("body", "Unknown placeholder {%s}. Use %s (write {{ and }} for literal braces).",
			unknown[0], "{"+strings.Join(Placeholders(), "}, {")+"}")
	}
	return title, body, nil
}

// List returns the answers of a site the actor may see, by title. Errors:
// NotFound.
func (s *Service) List(ctx context.Context, a comment.Actor, siteID int64) ([]Answer, error) {
	if !a.CanSee(siteID) {
		return nil, comment.Errorf(comment.UnknownSite, "There is no such site.")
	}
	return s.store.FindAnswers(ctx, siteID)
}

// Get returns one answer of the actor's sites. Errors: NotFound.
func (s *Service) Get(ctx context.Context, a comment.Actor, id int64) (Answer, error) {
	ans, err := s.store.FindAnswerByID(ctx, id)
	if comment.CodeOf(err) == comment.NotFound || (err == nil && !a.CanSee(ans.SiteID)) {
		return Answer{}, notFound()
	}
	return ans, err
}

// Create saves a new answer for a site; owners and the site's staff may.
// Errors: NotFound, Invalid, Conflict.
func (s *Service) Create(ctx context.Context, a comment.Actor, siteID int64, title, body string) (Answer, error) {
	if !a.CanSee(siteID) {
		return Answer{}, comment.Errorf(comment.UnknownSite, "There is no such site.")
	}
	title, body, err := clean(title, body)
	if err != nil {
		return Answer{}, err
	}
	existing, err := s.store.FindAnswers(ctx, siteID)
	if err != nil {
		return Answer{}, err
	}
	if len(existing) >= MaxPerSite {
		return Answer{}, comment.Errorf(comment.Conflict, "A site keeps at most %d saved answers; delete one first.", MaxPerSite)
	}
	now := s.now().UTC()
	ans, err := titleTaken(s.store.CreateAnswer(ctx, Answer{SiteID: siteID, Title: title, Body: body, CreatedBy: a.UserID,
		CreatedAt: now, UpdatedAt: now}))
	if err != nil {
		return Answer{}, err
	}
	return ans, s.audit(ctx, a, ans.SiteID, "created", ans.Title+"\n\n"+ans.Body)
}

// audit records a change of the library: who, which answer, and its text.
func (s *Service) audit(ctx context.Context, a comment.Actor, siteID int64, what, detail string) error {
	err := s.store.CreateAudit(ctx, comment.AuditEntry{SiteID: siteID, UserID: a.UserID, UserName: a.Name,
		Action: ActionSaved, Reason: what, Detail: detail, CreatedAt: s.now().UTC()})
	if err != nil {
		return fmt.Errorf("answer: audit %s: %w", what, err)
	}
	return nil
}

// Update changes an answer's title and body. Errors: NotFound, Invalid,
// Conflict.
func (s *Service) Update(ctx context.Context, a comment.Actor, id int64, title, body string) (Answer, error) {
	was, err := s.Get(ctx, a, id)
	if err != nil {
		return Answer{}, err
	}
	title, body, err = clean(title, body)
	if err != nil {
		return Answer{}, err
	}
	ans, err := titleTaken(s.store.UpdateAnswer(ctx, id, title, body, s.now().UTC()))
	if err != nil {
		return Answer{}, err
	}
	return ans, s.audit(ctx, a, ans.SiteID, "changed", ans.Title+"\n\n"+ans.Body+"\n\nbefore: "+was.Title+"\n\n"+was.Body)
}

// titleTaken says what a Conflict from the store means.
func titleTaken(ans Answer, err error) (Answer, error) {
	if comment.CodeOf(err) == comment.Conflict {
		return Answer{}, &comment.Error{Code: comment.Conflict, Field: "title",
			Message: "This site already has a saved answer with that title."}
	}
	return ans, err
}

// Delete removes an answer. Errors: NotFound.
func (s *Service) Delete(ctx context.Context, a comment.Actor, id int64) error {
	was, err := s.Get(ctx, a, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteAnswer(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, a, was.SiteID, "deleted", was.Title+"\n\n"+was.Body)
}

// Values returns what the placeholders stand for when the actor answers c,
// a comment of thread t.
func (s *Service) Values(a comment.Actor, c comment.Comment, t comment.Thread) Values {
	site, _ := s.replies.SiteByID(t.SiteID)
	loc, err := time.LoadLocation(site.TimeZone)
	if err != nil || site.TimeZone == "" {
		loc = time.UTC
	}
	v := Values{Name: c.Author, PostTitle: t.Title, PostURL: t.URL, Site: site.Title, StaffName: a.Name,
		Date: s.now().In(loc).Format("2006-01-02")}
	if v.PostTitle == "" {
		v.PostTitle = t.Path
	}
	if v.Site == "" {
		v.Site = site.Name
	}
	return v
}

// Reply is what staff send from the reply box with a saved answer in it.
type Reply struct {
	CommentID int64
	Body      string
	AnswerID  int64
	// AsIs confirms that an answer sent unchanged is meant to go out so.
	AsIs bool
}

// Reply publishes an official reply that started from a saved answer. A
// reply that is the answer as inserted (see Unchanged) is refused with
// NotPersonalised unless r.AsIs; one that is sent counts as a use of the
// answer, in the reply's transaction. Errors: those of
// comment.Service.StaffReply, NotFound (the answer is not of the comment's
// site), NotPersonalised.
func (s *Service) Reply(ctx context.Context, a comment.Actor, r Reply) (comment.Comment, comment.Thread, error) {
	ans, err := s.Get(ctx, a, r.AnswerID)
	if err != nil {
		return comment.Comment{}, comment.Thread{}, err
	}
	return s.replies.StaffReplyWith(ctx, a, r.CommentID, r.Body, comment.ReplyHooks{
		Before: func(_ context.Context, parent comment.Comment, t comment.Thread) error {
			if ans.SiteID != t.SiteID {
				return notFound()
			}
			if !r.AsIs && Unchanged(ans.Body, s.Values(a, parent, t), r.Body) {
				return &comment.Error{Code: NotPersonalised, Field: "body",
					Message: fmt.Sprintf("This is the saved answer %q as it is. Personalise it? Readers notice a form letter; send it as is only if it fits.", ans.Title)}
			}
			return nil
		},
		InTx: func(ctx context.Context, tx comment.Store, _, _ comment.Comment, _ comment.Thread) error {
			c, ok := tx.(Counter)
			if !ok {
				return fmt.Errorf("answer: the store %T cannot count uses", tx)
			}
			return c.CountAnswerUse(ctx, ans.ID, s.now().UTC())
		},
	})
}
