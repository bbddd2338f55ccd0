package mailin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/mail"
	"strings"
	"unicode"

	"github.com/emersion/go-smtp"
)

// The SMTP answers. Each refusal says what to do, since a staff member reads
// it in a bounce.
var (
	errNotOurs = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "Relay access denied"}
	errNoMailbox = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such mailbox: this server only takes replies to Parley alerts"}
	errOneRecipient = &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 5, 3},
		Message: "One recipient per message"}
	errSender = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "Sender not allowed: reply from the address the alert was sent to"}
	errTooLarge = &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
		Message: "Message too large"}
	errLineTooLong = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message: "Line too long: lines must be under 2000 characters"}
	errMalformed = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message: "Message could not be read"}
	errEmpty = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message: "No reply text found: write your answer above the quoted alert"}
	errTemporary = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Temporary failure, try again later"}
	errNoRecipient = &smtp.SMTPError{Code: 503, EnhancedCode: smtp.EnhancedCode{5, 5, 1},
		Message: "Missing RCPT TO command"}
)

// session is one SMTP connection's state. go-smtp calls its methods from the
// connection's goroutine only.
type session struct {
	srv    *Server
	remote string
	from   string // envelope sender, lower-case
	token  string // set by an accepted RCPT
	staff  string // the token's staff address, lower-case
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{srv: s, remote: c.Conn().RemoteAddr().String()}, nil
}

// Reset forgets the current message.
func (ss *session) Reset() {
	ss.from, ss.token, ss.staff = "", "", ""
}

// Logout ends the session; there is nothing to free.
func (ss *session) Logout() error { return nil }

// Mail records the envelope sender. It is checked once RCPT names the staff
// member it must match.
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = strings.ToLower(from)
	return nil
}

// Rcpt accepts one reply address whose token the Handler knows, from the
// staff member it belongs to.
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.token != "" {
		// One recipient per message, because each reply address names one
		// thread. RFC 5321 senders deliver to the rest in later
		// transactions after a 452. (go-smtp's MaxRecipients would answer
		// the same, but without the log line.)
		return ss.refuse(errOneRecipient, ss.token, "second recipient")
	}
	token, ok := ParseAddress(to, ss.srv.cfg.Domain)
	if !ok {
		if !sameDomain(addressDomain(to), ss.srv.cfg.Domain) {
			return ss.refuse(errNotOurs, "", "other domain")
		}
		return ss.refuse(errNoMailbox, "", "not a reply address")
	}
	ctx, cancel := ss.srv.callContext()
	defer cancel()
	staff, err := ss.srv.h.Recipient(ctx, token)
	switch {
	case errors.Is(err, ErrUnknown) || (err == nil && staff == ""):
		return ss.refuse(errNoMailbox, token, "unknown token")
	case err != nil:
		return ss.deferMail(token, "recipient lookup", err)
	case !strings.EqualFold(ss.from, staff):
		return ss.refuse(errSender, token, "envelope sender is not the staff member")
	}
	ss.token, ss.staff = token, strings.ToLower(staff)
	return nil
}

// Data reads the message and posts its reply.
func (ss *session) Data(r io.Reader) error {
	if ss.token == "" {
		return errNoRecipient
	}
	raw, err := io.ReadAll(r)
	if errors.Is(err, smtp.ErrDataTooLarge) {
		return ss.refuse(errTooLarge, ss.token, "too large")
	}
	if errors.Is(err, smtp.ErrTooLongLine) {
		return ss.refuse(errLineTooLong, ss.token, "line too long")
	}
	if err != nil {
		// The connection broke or timed out; go-smtp answers if it still can.
		return ss.deferMail(ss.token, "reading", err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ss.refuse(errMalformed, ss.token, "malformed message")
	}
	if isAutoReply(msg.Header) {
		// Accepted, so that an out-of-office reply is not bounced back to
		// the staff member, but never posted as an official comment.
		ss.logMail(slog.LevelInfo, "mail dropped", "auto-reply", 250, ss.token, nil)
		return nil
	}
	if !ss.fromStaff(msg.Header) {
		return ss.refuse(errSender, ss.token, "From header is not the staff member")
	}
	text, err := messageText(msg)
	if errors.Is(err, errCharset) {
		return ss.refuse(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 3},
			Message: "Unsupported charset: send as UTF-8"}, ss.token, "unsupported charset")
	}
	if err != nil {
		return ss.refuse(errMalformed, ss.token, "unreadable body")
	}
	text = StripQuoted(text)
	if text == "" {
		return ss.refuse(errEmpty, ss.token, "empty reply")
	}
	return ss.post(Reply{Token: ss.token, From: ss.staff, Text: text, MessageID: messageID(msg.Header)})
}

// post hands the reply to the Handler and turns its error into the answer.
func (ss *session) post(r Reply) error {
	ctx, cancel := ss.srv.callContext()
	defer cancel()
	err := ss.srv.h.Reply(ctx, r)
	switch {
	case errors.Is(err, ErrRefused):
		return ss.refuse(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: answerText(err.Error())}, r.Token, "refused by handler")
	case err != nil:
		return ss.deferMail(r.Token, "posting", err)
	}
	ss.logMail(slog.LevelInfo, "mail accepted", "posted", 250, r.Token, nil)
	return nil
}

// fromStaff reports whether the From header holds exactly one address, the
// staff member's.
func (ss *session) fromStaff(h mail.Header) bool {
	list, err := h.AddressList("From")
	return err == nil && len(list) == 1 && strings.EqualFold(list[0].Address, ss.staff)
}

// refuse logs a refused mail and returns its answer.
func (ss *session) refuse(e *smtp.SMTPError, token, reason string) error {
	ss.logMail(slog.LevelInfo, "mail refused", reason, e.Code, token, nil)
	return e
}

// deferMail logs a mail refused for now by a failure on this side, and
// returns the temporary answer: the sending server tries again later.
func (ss *session) deferMail(token, reason string, err error) error {
	ss.logMail(slog.LevelWarn, "mail deferred", reason, errTemporary.Code, token, err)
	return errTemporary
}

// logMail writes the one line per mail. It never logs an address or a
// token, only a hash prefix of the token to tell mails apart.
func (ss *session) logMail(level slog.Level, msg, reason string, code int, token string, err error) {
	args := []any{"reason", reason, "code", code, "remote", ss.remote}
	if token != "" {
		args = append(args, "token_hash", tokenHash(token))
	}
	if err != nil {
		args = append(args, "err", err)
	}
	ss.srv.log.Log(context.Background(), level, msg, args...)
}

// tokenHash is a short, one-way name for a token in logs.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:4])
}

// isAutoReply reports whether a message says it was sent by a machine
// (RFC 3834 Auto-Submitted, or the older Precedence and X-Autoreply
// conventions of vacation programs).
func isAutoReply(h mail.Header) bool {
	if v := h.Get("Auto-Submitted"); v != "" {
		kind, _, _ := strings.Cut(v, ";")
		if !strings.EqualFold(strings.TrimSpace(kind), "no") {
			return true
		}
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "auto_reply", "list", "junk":
		return true
	}
	return h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != ""
}

// messageID returns the Message-ID header without its angle brackets.
func messageID(h mail.Header) string {
	id := strings.TrimSpace(h.Get("Message-Id"))
	return strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
}

// answerText makes s fit in one SMTP answer line: printable ASCII, short.
func answerText(s string) string {
	const limit = 200
	s = strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, s)
	if len(s) > limit {
		s = s[:limit]
	}
	return s
}
