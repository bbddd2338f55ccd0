package comment

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Store keeps sites, threads and comments. Methods that find one record
// return a NotFound *Error when there is none.
type Store interface {
	// FindSites returns every site.
	FindSites(ctx context.Context) ([]Site, error)
	// SaveSite creates the site named s.Name, or updates its title, origins
	// and edit window; it returns the stored site.
	SaveSite(ctx context.Context, s Site) (Site, error)
	// FindThread returns the thread of a site's page path. NotFound.
	FindThread(ctx context.Context, siteID int64, path string) (Thread, error)
	// EnsureThread returns the thread of t.SiteID and t.Path, creating it
	// from t when there is none.
	EnsureThread(ctx context.Context, t Thread) (Thread, error)
	// FindThreadComments returns every comment of a thread, oldest first.
	FindThreadComments(ctx context.Context, threadID int64) ([]Comment, error)
	// FindCommentByID returns one comment. NotFound.
	FindCommentByID(ctx context.Context, id int64) (Comment, error)
	// FindThreadByID returns one thread. NotFound.
	FindThreadByID(ctx context.Context, id int64) (Thread, error)
	// CreateComment stores a new comment and returns it with its ID.
	CreateComment(ctx context.Context, c Comment) (Comment, error)
	// UpdateComment changes the fields set in u. NotFound.
	UpdateComment(ctx context.Context, id int64, u Update) (Comment, error)
	// HasOfficialReply reports whether staff replied directly to a comment.
	HasOfficialReply(ctx context.Context, id int64) (bool, error)
	// CountComments counts the visible comments of a site's page paths.
	CountComments(ctx context.Context, siteID int64, paths []string) (map[string]int, error)

	// InTx runs fn with a Store whose every call is part of one
	// transaction, committed when fn returns nil.
	InTx(ctx context.Context, fn func(tx Store) error) error
	// FindComments returns one page of the comments f selects, each with
	// its thread, and how many f selects in all.
	FindComments(ctx context.Context, f Filter) ([]Listed, int, error)
	// FindThreads summarises the threads of the sites (nil: all sites).
	FindThreads(ctx context.Context, siteIDs []int64) ([]ThreadSummary, error)
	// DeleteComment removes a comment row. NotFound; Conflict if it has replies.
	DeleteComment(ctx context.Context, id int64) error
	// UpdateSite stores a site's title, origins, edit window and
	// premoderation. NotFound.
	UpdateSite(ctx context.Context, s Site) (Site, error)
	// CreateAudit appends to the audit log.
	CreateAudit(ctx context.Context, e AuditEntry) error
	// FindAudit returns one page of audit entries, newest first, and the total.
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
	// FindCommentByHash returns a comment of the site with the text hash,
	// created after since. NotFound.
	FindCommentByHash(ctx context.Context, siteID int64, hash string, since time.Time) (Comment, error)
	// HasApprovedFromEmail reports whether the site shows a comment from
	// the email address.
	HasApprovedFromEmail(ctx context.Context, siteID int64, email string) (bool, error)
	// FindAssignables lists the site's staff and every owner, by name.
	FindAssignables(ctx context.Context, siteID int64) ([]Assignable, error)
	// FindReplyFacts returns the reader comments of the sites (nil: all)
	// shown and posted since since.
	FindReplyFacts(ctx context.Context, siteIDs []int64, since time.Time) ([]ReplyFact, error)
	// FindRecipient returns a staff member with their alert preferences. NotFound.
	FindRecipient(ctx context.Context, id int64) (Recipient, error)
	// UpdateAlertPrefs stores a staff member's alert preferences. NotFound.
	UpdateAlertPrefs(ctx context.Context, userID int64, p AlertPrefs) error
	// FindNotifications returns the newest alerts of the sites (nil: all)
	// or of one comment (commentID > 0).
	FindNotifications(ctx context.Context, siteIDs []int64, commentID int64, limit int) ([]Notification, error)
	// CountBacklog counts the open, shown comments of the sites by age at now.
	CountBacklog(ctx context.Context, siteIDs []int64, now time.Time) ([]Backlog, error)
	// CountBacklogByAssignee counts the site's open, shown comments by
	// assignee and age at now.
	CountBacklogByAssignee(ctx context.Context, siteID int64, now time.Time) ([]Backlog, error)
}

// Renderer turns a reader's Markdown into safe HTML.
type Renderer interface {
	Render(markdown string) string
}

// Scorer rates the tone of a reader's text (main wires package tone's
// analyser): 0 calm or positive … 1 very negative.
type Scorer interface {
	Negativity(text string) float64
}

// DefaultNegativeAt is the score from which a comment counts as negative
// when Config.NegativeAt is unset: tone.Threshold.
const DefaultNegativeAt = 0.5

// Config holds what a Service needs.
type Config struct {
	Store    Store
	Renderer Renderer
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// ClientKey keys the hash of client addresses. It must stay the same
	// across restarts for the hashes to be comparable.
	ClientKey []byte
	// EditWindow is the default reader edit window of new sites.
	EditWindow time.Duration
	// Filters are the spam checks new reader comments go through.
	Filters []SpamFilter
	// Schedule computes reply deadlines; without one every hour counts.
	Schedule Schedule
	// Scorer rates each reader comment's tone when it is posted or edited;
	// nil leaves every score 0.
	Scorer Scorer
	// NegativeAt is the score from which a comment is negative: those come
	// first in the inbox. DefaultNegativeAt when zero.
	NegativeAt float64
}

// Service applies Parley's rules on top of a Store.
type Service struct {
	store      Store
	render     Renderer
	now        func() time.Time
	clientKey  []byte
	editWindow time.Duration
	filters    []SpamFilter
	schedule   Schedule
	scorer     Scorer
	negativeAt float64
	sites      *siteCache
}

// NewService returns a Service. Call LoadSites before serving.
func NewService(cfg Config) *Service {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if cfg.EditWindow <= 0 {
		cfg.EditWindow = DefaultEditWindow
	}
	if cfg.Schedule == nil {
		cfg.Schedule = wallClock{}
	}
	if cfg.NegativeAt <= 0 {
		cfg.NegativeAt = DefaultNegativeAt
	}
	return &Service{store: cfg.Store, render: cfg.Renderer, now: now, clientKey: cfg.ClientKey,
		editWindow: cfg.EditWindow, filters: cfg.Filters, schedule: cfg.Schedule, scorer: cfg.Scorer,
		negativeAt: cfg.NegativeAt, sites: newSiteCache()}
}

// negativity scores a reader's text; 0 without a Scorer.
func (s *Service) negativity(text string) float64 {
	if s.scorer == nil {
		return 0
	}
	return s.scorer.Negativity(text)
}

// Negative reports whether a comment's tone counts as negative.
func (s *Service) Negative(c Comment) bool { return !c.Official && c.Negativity >= s.negativeAt }

// NegativeAt is the score from which a comment counts as negative.
func (s *Service) NegativeAt() float64 { return s.negativeAt }

// DefaultEditWindow is how long readers may change their comments unless a
// site says otherwise.
const DefaultEditWindow = 15 * time.Minute

// Posted is a newly stored comment with what its author needs to change it.
type Posted struct {
	Comment   Comment
	Thread    Thread
	EditToken string
	EditUntil time.Time
}

// ThreadView is what readers see of a page's discussion.
type ThreadView struct {
	Thread  Thread
	Roots   []*Node
	Visible int
}

// Thread returns the discussion of a page; a page nobody has commented on yet
// has an empty one (Thread.ID 0). Errors: Invalid (url).
func (s *Service) Thread(ctx context.Context, site Site, rawURL string) (ThreadView, error) {
	path, abs, err := ThreadPath(rawURL)
	if err != nil {
		return ThreadView{}, err
	}
	t, err := s.store.FindThread(ctx, site.ID, path)
	if CodeOf(err) == NotFound {
		return ThreadView{Thread: Thread{SiteID: site.ID, Path: path, URL: abs}}, nil
	}
	if err != nil {
		return ThreadView{}, err
	}
	comments, err := s.store.FindThreadComments(ctx, t.ID)
	if err != nil {
		return ThreadView{}, err
	}
	roots, n := Tree(comments)
	return ThreadView{Thread: t, Roots: roots, Visible: n}, nil
}

// Post validates and stores a reader's comment. Errors: Invalid,
// BadEncoding, UnknownParent, ParentMismatch.
func (s *Service) Post(ctx context.Context, site Site, in Input) (Posted, error) {
	if err := in.normalize(); err != nil {
		return Posted{}, err
	}
	path, abs, err := ThreadPath(in.URL)
	if err != nil {
		return Posted{}, err
	}
	if in.ParentID != 0 {
		if err := s.checkParent(ctx, site, path, in.ParentID); err != nil {
			return Posted{}, err
		}
	}
	t, err := s.store.EnsureThread(ctx, Thread{SiteID: site.ID, Path: path, URL: abs, Title: in.Title, Author: in.AuthorHint})
	if err != nil {
		return Posted{}, err
	}
	token, tokenHash, err := newEditToken()
	if err != nil {
		return Posted{}, err
	}
	html, hash := s.render.Render(in.Body), textHash(in.Body)
	v, err := s.screen(ctx, site, in, html, hash, cmp.Or(t.URL, abs, path))
	if err != nil {
		return Posted{}, err
	}
	c := Comment{
		SiteID: site.ID, ThreadID: t.ID, ParentID: in.ParentID, ReplyState: ReplyOpen,
		Author: in.Author, Email: in.Email, Website: in.Website,
		Body: in.Body, HTML: html, BodyHash: hash, FlagReason: strings.Join(v.reasons, "; "),
		Status: v.status, ClientHash: s.ClientHash(in.ClientAddr),
		EditTokenHash: tokenHash, CreatedAt: s.now().UTC(), Negativity: s.negativity(in.Body),
	}
	s.due(site, t, &c)
	c, err = s.store.CreateComment(ctx, c)
	if err != nil {
		return Posted{}, err
	}
	return Posted{Comment: c, Thread: t, EditToken: token, EditUntil: c.CreatedAt.Add(site.EditWindow)}, nil
}

// checkParent makes sure a reply's parent is a visible comment of the same page.
func (s *Service) checkParent(ctx context.Context, site Site, path string, parentID int64) error {
	parent, err := s.store.FindCommentByID(ctx, parentID)
	if CodeOf(err) == NotFound || (err == nil && !parent.Visible()) {
		return &Error{Code: UnknownParent, Field: "parent_id", Message: "The comment you are replying to does not exist."}
	}
	if err != nil {
		return err
	}
	t, err := s.store.FindThreadByID(ctx, parent.ThreadID)
	if err != nil {
		return err
	}
	if t.SiteID != site.ID || t.Path != path {
		return &Error{Code: ParentMismatch, Field: "parent_id", Message: "The comment you are replying to belongs to another page."}
	}
	// Walk up to bound the depth: the embed indents only so far, and a
	// chain of thousands of replies is a way to make every read slow.
	depth := 2 // the new comment's, under a top-level parent
	for p := parent; p.ParentID != 0 && depth <= MaxDepth; depth++ {
		if p, err = s.store.FindCommentByID(ctx, p.ParentID); err != nil {
			return err
		}
	}
	if depth > MaxDepth {
		return FieldError("parent_id", "This conversation is nested too deeply; reply further up.")
	}
	return nil
}

// MaxDepth bounds how deeply replies nest.
const MaxDepth = 50

// Edit replaces the body of a reader's own comment. Errors: NotFound,
// Forbidden, EditExpired, EditLocked, Invalid.
func (s *Service) Edit(ctx context.Context, site Site, id int64, token, body string) (Comment, Thread, error) {
	c, t, err := s.ownComment(ctx, site, id, token)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	if body, err = cleanBody(body); err != nil {
		return Comment{}, Thread{}, err
	}
	html, now, tone := s.render.Render(body), s.now().UTC(), s.negativity(body)
	c, err = s.store.UpdateComment(ctx, c.ID, Update{Body: &body, HTML: &html, EditedAt: &now, Negativity: &tone})
	return c, t, err
}

// Delete withdraws a reader's own comment. Its text, email and website are
// erased; the row stays so that replies to it keep their place. Errors as Edit.
func (s *Service) Delete(ctx context.Context, site Site, id int64, token string) (Thread, error) {
	c, t, err := s.ownComment(ctx, site, id, token)
	if err != nil {
		return Thread{}, err
	}
	empty, status, now := "", StatusDeleted, s.now().UTC()
	_, err = s.store.UpdateComment(ctx, c.ID, Update{Body: &empty, HTML: &empty, Email: &empty, Website: &empty,
		Author: &empty, Status: &status, EditedAt: &now})
	return t, err
}

// ownComment checks that token lets its bearer change comment id now.
func (s *Service) ownComment(ctx context.Context, site Site, id int64, token string) (Comment, Thread, error) {
	notFound := Errorf(NotFound, "There is no such comment.")
	c, err := s.store.FindCommentByID(ctx, id)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	t, err := s.store.FindThreadByID(ctx, c.ThreadID)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	if t.SiteID != site.ID || c.Status == StatusDeleted {
		return Comment{}, Thread{}, notFound
	}
	if !checkEditToken(token, c.EditTokenHash) {
		return Comment{}, Thread{}, Errorf(Forbidden, "This comment can only be changed from the browser that posted it.")
	}
	if s.now().After(c.CreatedAt.Add(site.EditWindow)) {
		return Comment{}, Thread{}, Errorf(EditExpired, "The time to change this comment has passed.")
	}
	replied, err := s.store.HasOfficialReply(ctx, c.ID)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	if replied {
		return Comment{}, Thread{}, Errorf(EditLocked, "The team has answered this comment, so it can no longer be changed.")
	}
	return c, t, nil
}

// Counts returns the number of visible comments of each page address, keyed
// by the address as given. Errors: Invalid (url).
func (s *Service) Counts(ctx context.Context, site Site, urls []string) (map[string]int, error) {
	paths := make([]string, len(urls))
	for i, u := range urls {
		p, _, err := ThreadPath(u)
		if err != nil {
			return nil, err
		}
		paths[i] = p
	}
	byPath, err := s.store.CountComments(ctx, site.ID, paths)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(urls))
	for i, u := range urls {
		out[u] = byPath[paths[i]]
	}
	return out, nil
}

// ClientHash returns the keyed hash kept instead of a client address.
func (s *Service) ClientHash(addr string) string {
	if addr == "" {
		return ""
	}
	m := hmac.New(sha256.New, s.clientKey)
	m.Write([]byte(addr))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func newEditToken() (token, hash string, err error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("comment: edit token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))
	return token, hex.EncodeToString(sum[:]), nil
}

func checkEditToken(token, hash string) bool {
	if token == "" || hash == "" {
		return false
	}
	sum := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(hash)) == 1
}
