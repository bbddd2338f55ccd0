// Package followup lets staff take a conversation private: they write to a
// reader by email (from the site, replies going to the staff member) and
// publish a short official note on the thread, so that other readers see
// the comment was taken care of. The comment stays visible and counts as
// answered; the private message is kept in the audit log. It imports
// comment, notify (for the message type) and the standard library.
package followup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/notify"
)

// The error codes of a follow-up.
const (
	// NoEmail: the reader left no email address.
	NoEmail comment.Code = "no_email"
	// MailOff: Parley has no outgoing mail server.
	MailOff comment.Code = "mail_not_configured"
	// MailFailed: the mail server did not take the message; nothing was
	// published.
	MailFailed comment.Code = "mail_failed"
)

// ActionFollowUp names the audit entry of a private follow-up. Its Detail
// holds the recipient, subject and the whole message.
const ActionFollowUp comment.Action = "private_followup"

// DefaultNote is the public note's text unless staff change it.
const DefaultNote = "We have contacted you directly to sort this out."

// Limits of a follow-up.
const (
	MaxSubjectLength = 200
	MaxMessageLength = comment.MaxBodyLength
)

// Mailer sends one email (notify.Mailer does).
type Mailer interface {
	Send(ctx context.Context, m notify.Message) error
}

// Replies posts staff replies and looks sites up (comment.Service does).
type Replies interface {
	StaffReplyWith(ctx context.Context, a comment.Actor, parentID int64, body string, h comment.ReplyHooks) (comment.Comment, comment.Thread, error)
	SiteByID(id int64) (comment.Site, bool)
}

// Config holds what a Service needs.
type Config struct {
	Replies Replies
	// Mailer sends the messages; nil turns follow-up off.
	Mailer Mailer
	// From is the sender address (-mail-from); its display name is
	// replaced by the site's title.
	From string
	Log  *slog.Logger
	Now  func() time.Time
	// PerHour bounds the follow-ups one staff member sends an hour
	// (default 30): a stolen session cannot become a spam cannon.
	PerHour int
}

// Service sends private follow-ups.
type Service struct {
	replies Replies
	mailer  Mailer
	from    string
	log     *slog.Logger
	now     func() time.Time
	perHour int

	mu   sync.Mutex
	sent map[int64][]time.Time // per staff member, the last hour's sends
}

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.PerHour <= 0 {
		cfg.PerHour = 30
	}
	return &Service{replies: cfg.Replies, mailer: cfg.Mailer, from: cfg.From, log: cfg.Log, now: cfg.Now,
		perHour: cfg.PerHour, sent: map[int64][]time.Time{}}
}

// Enabled reports whether follow-ups can be sent (a mail server is set up).
func (s *Service) Enabled() bool { return s != nil && s.mailer != nil }

// Request is a follow-up as staff write it.
type Request struct {
	CommentID int64
	Subject   string
	Message   string // plain text
	Note      string // the public note, Markdown
	// StaffEmail is where the reader's answer goes (Reply-To).
	StaffEmail string
}

// DefaultSubject is the subject the form suggests for a comment on t.
func DefaultSubject(t comment.Thread) string {
	title := t.Title
	if title == "" {
		title = t.Path
	}
	return fmt.Sprintf("Your comment on “%s”", oneLine(title))
}

// oneLine folds white space and drops control characters: a header value.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToValidUTF8(s, ""), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFEFF'
	}), " ")
}

// check tidies and checks a request's subject and message. Errors: Invalid,
// BadEncoding.
func check(r *Request) error {
	if !utf8.ValidString(r.Subject) || !utf8.ValidString(r.Message) {
		return &comment.Error{Code: comment.BadEncoding, Message: "The message is not valid UTF-8 text."}
	}
	r.Subject, r.Message = oneLine(r.Subject), comment.CleanText(r.Message)
	switch {
	case r.Subject == "":
		return comment.FieldError("subject", "Give the email a subject.")
	case utf8.RuneCountInString(r.Subject) > MaxSubjectLength:
		return comment.FieldError("subject", "The subject is longer than %d characters.", MaxSubjectLength)
	case r.Message == "":
		return comment.FieldError("message", "Write the message to the reader.")
	case utf8.RuneCountInString(r.Message) > MaxMessageLength:
		return comment.FieldError("message", "The message is longer than %d characters.", MaxMessageLength)
	case strings.TrimSpace(r.Note) == "":
		return comment.FieldError("note", "Write the public note; readers of the thread see it under the comment.")
	}
	return nil
}

// Send writes to the author of a comment privately, then publishes r.Note
// as an official reply to it, which marks it answered. The email goes
// first: if the mail server does not take it, nothing is published (and
// nothing stored), and staff see why. The audit log keeps the whole
// message. Errors: those of comment.Service.StaffReply, Invalid, NoEmail,
// MailOff, MailFailed, RateLimited, Conflict (a staff reply).
func (s *Service) Send(ctx context.Context, a comment.Actor, r Request) (comment.Comment, comment.Thread, error) {
	if !s.Enabled() {
		return comment.Comment{}, comment.Thread{}, comment.Errorf(MailOff,
			"Private follow-up sends email: set up an outgoing mail server (-smtp-url) first.")
	}
	if err := check(&r); err != nil {
		return comment.Comment{}, comment.Thread{}, err
	}
	var msg notify.Message
	return s.replies.StaffReplyWith(ctx, a, r.CommentID, r.Note, comment.ReplyHooks{
		Before: func(ctx context.Context, parent comment.Comment, t comment.Thread) error {
			var err error
			if msg, err = s.message(a, r, parent, t); err != nil {
				return err
			}
			at, err := s.take(a.UserID)
			if err != nil {
				return err
			}
			if err := s.send(ctx, msg, parent.ID); err != nil {
				s.giveBack(a.UserID, at) // nothing went out: retrying is fair
				return err
			}
			return nil
		},
		InTx: func(ctx context.Context, tx comment.Store, parent, _ comment.Comment, t comment.Thread) error {
			to := parent.Email
			if name := oneLine(parent.Author); name != "" {
				to = name + " <" + to + ">" // as written, not RFC 2047 encoded as in the header
			}
			detail := fmt.Sprintf("To: %s\nSubject: %s\n\n%s", to, r.Subject, r.Message)
			err := tx.CreateAudit(ctx, comment.AuditEntry{SiteID: t.SiteID, UserID: a.UserID, UserName: a.Name,
				Action: ActionFollowUp, CommentID: parent.ID, Reason: r.Subject, Detail: detail, CreatedAt: s.now().UTC()})
			if err != nil {
				// The reader has the email; say so rather than "internal error".
				s.log.Error("follow-up sent but not recorded", "comment_id", parent.ID, "error", err)
				return comment.Errorf(comment.Internal,
					"The email was sent, but the public note could not be published. Post it as an ordinary reply.")
			}
			return nil
		},
	})
}

// message builds the email to the author of parent.
func (s *Service) message(a comment.Actor, r Request, parent comment.Comment, t comment.Thread) (notify.Message, error) {
	if parent.Official {
		return notify.Message{}, comment.Errorf(comment.Conflict, "This is a staff reply; follow up on the reader's comment.")
	}
	if parent.Email == "" {
		return notify.Message{}, comment.Errorf(NoEmail, "This reader left no email address; answer them in public instead.")
	}
	from, err := mail.ParseAddress(s.from)
	if err != nil {
		return notify.Message{}, fmt.Errorf("followup: -mail-from %q: %w", s.from, err)
	}
	site, _ := s.replies.SiteByID(t.SiteID)
	from.Name = site.Title
	if from.Name == "" {
		from.Name = site.Name
	}
	to := mail.Address{Name: oneLine(parent.Author), Address: parent.Email}
	replyTo := mail.Address{Name: a.Name, Address: r.StaffEmail}
	title := t.Title
	if title == "" {
		title = t.Path
	}
	text := fmt.Sprintf("%s\n\n-- \nYou wrote on “%s” (%s):\n\n%s\n", r.Message, title, t.URL, quote(parent.Body))
	msg := notify.Message{From: from.String(), To: to.String(), Subject: r.Subject, Text: text,
		Headers: map[string]string{"Auto-Submitted": "no"}}
	if r.StaffEmail != "" {
		msg.ReplyTo = replyTo.String()
	}
	if _, err := notify.BuildMessage(msg, s.now()); errors.Is(err, notify.ErrInvalidMessage) {
		return notify.Message{}, comment.Errorf(NoEmail, "The reader's email address cannot be written to; answer them in public instead.")
	}
	return msg, nil
}

// quote marks each line of the reader's comment as quoted.
func quote(body string) string {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+l, " ")
	}
	return strings.Join(lines, "\n")
}

// take counts a follow-up against the staff member's hourly budget and
// returns the time it was counted at.
func (s *Service) take(userID int64) (time.Time, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	recent := s.sent[userID][:0]
	for _, at := range s.sent[userID] {
		if now.Sub(at) < time.Hour {
			recent = append(recent, at)
		}
	}
	if len(recent) >= s.perHour {
		s.sent[userID] = recent
		return time.Time{}, &comment.Error{Code: comment.RateLimited, RetryAfter: recent[0].Add(time.Hour).Sub(now),
			Message: fmt.Sprintf("You sent %d private follow-ups in the last hour; wait a little.", len(recent))}
	}
	s.sent[userID] = append(recent, now)
	return now, nil
}

// giveBack uncounts a follow-up take counted at at.
func (s *Service) giveBack(userID int64, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sent := s.sent[userID]
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].Equal(at) {
			s.sent[userID] = append(sent[:i], sent[i+1:]...)
			return
		}
	}
}

// send hands the message to the mail server. Its error (which names the
// server) is logged here and replaced by one staff can act on.
func (s *Service) send(ctx context.Context, msg notify.Message, commentID int64) error {
	if err := s.mailer.Send(ctx, msg); err != nil {
		s.log.Warn("follow-up not sent", "comment_id", commentID, "error", err)
		return comment.Errorf(MailFailed, "The mail server did not take the email, so nothing was published. Try again in a moment.")
	}
	return nil
}
