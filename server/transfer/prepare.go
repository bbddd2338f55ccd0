package transfer

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/server/comment"
)

// Why records were skipped, as Summary.SkipReasons counts them.
const (
	SkipImported      = "already imported"
	SkipDuplicate     = "duplicate key in the file"
	SkipThreadInvalid = "thread address invalid"
	SkipThreadUnknown = "thread unknown"
)

// What an import changed to take a record, as Summary.Changed counts it.
const (
	ChangeTruncated     = "body truncated"
	ChangeUTF8          = "invalid UTF-8 replaced"
	ChangeEmail         = "invalid email dropped"
	ChangeWebsite       = "invalid website dropped"
	ChangeTime          = "no creation time: import time used"
	ChangeParentMissing = "parent missing: imported top-level"
	ChangeParentCycle   = "parent cycle: imported top-level"
)

// change is a set of the changes made to one record.
type change uint8

const (
	changeTruncated change = 1 << iota
	changeUTF8
	changeEmail
	changeWebsite
	changeTime
	changeCycle
)

// names lists the reasons of the changes in c.
func (c change) names() []string {
	all := []struct {
		bit  change
		name string
	}{{changeTruncated, ChangeTruncated}, {changeUTF8, ChangeUTF8}, {changeEmail, ChangeEmail},
		{changeWebsite, ChangeWebsite}, {changeTime, ChangeTime}, {changeCycle, ChangeParentCycle}}
	var out []string
	for _, a := range all {
		if c&a.bit != 0 {
			out = append(out, a.name)
		}
	}
	return out
}

// entry is one record made ready to store: a thread, or a comment with the
// keys that place it.
type entry struct {
	n         int // the record's number in the source, from 1
	thread    *Thread
	rec       Record
	threadKey string
	parentKey string // "" for a top-level comment
	derived   bool   // the reply state comes from the import, not the source
	changes   change
	late      bool // stored before its parent: linked at the end
}

// prepare cleans the records of one chunk. It runs on several goroutines
// at once: it reads only the importer's settings.
func (im *importer) prepare(items []Item, first int) ([]entry, error) {
	out := make([]entry, 0, len(items))
	for i, it := range items {
		n := first + i
		switch it := it.(type) {
		case *Thread:
			out = append(out, entry{n: n, thread: it})
		case *Comment:
			e, err := im.prepareComment(it, n)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		default:
			return nil, &SourceError{Where: fmt.Sprintf("record %d", n), Err: fmt.Errorf("unknown record type %T", it)}
		}
	}
	return out, nil
}

func (im *importer) prepareComment(c *Comment, n int) (entry, error) {
	bad := func(format string, args ...any) error {
		return &SourceError{Where: fmt.Sprintf("record %d (comment %q)", n, c.Key), Err: fmt.Errorf(format, args...)}
	}
	if c.Key == "" {
		return entry{}, &SourceError{Where: fmt.Sprintf("record %d", n), Err: errors.New("comment without a key")}
	}
	status := c.Status
	switch status {
	case "":
		status = comment.StatusApproved
	case comment.StatusApproved, comment.StatusPending, comment.StatusSpam, comment.StatusHidden, comment.StatusDeleted:
	default:
		return entry{}, bad("unknown status %q", status)
	}
	switch c.ReplyState {
	case "", comment.ReplyOpen, comment.ReplyAnswered, comment.ReplyNotNeeded, comment.ReplyStaff:
	default:
		return entry{}, bad("unknown reply state %q", c.ReplyState)
	}
	e := entry{n: n, threadKey: c.ThreadKey, derived: c.ReplyState == ""}
	e.rec.Key = c.Key
	if c.ParentKey != "" {
		e.parentKey = c.ParentKey
		if e.parentKey == e.rec.Key {
			e.parentKey, e.changes = "", changeCycle
		}
	}
	var ch change
	valid := func(s string) string {
		if utf8.ValidString(s) {
			return s
		}
		ch |= changeUTF8
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	body, rendered := valid(c.Body), valid(c.Rendered)
	r := &e.rec.Comment
	r.SiteID, r.Status, r.Official = im.site.ID, status, c.Official
	r.Author = cleanAuthor(valid(c.Author))
	if r.Email = cleanEmail(valid(c.Email)); r.Email == "" && strings.TrimSpace(c.Email) != "" {
		ch |= changeEmail
	}
	if r.Website = cleanWebsite(valid(c.Website)); r.Website == "" && strings.TrimSpace(c.Website) != "" {
		ch |= changeWebsite
	}
	r.Body, r.HTML, ch = im.bodyOf(body, rendered, c.HTML, ch)
	r.StateReason, r.ModerationReason, r.FlagReason = valid(c.StateReason), valid(c.ModerationReason), valid(c.FlagReason)
	r.CreatedAt = c.CreatedAt.UTC()
	if c.CreatedAt.IsZero() {
		r.CreatedAt, ch = im.now, ch|changeTime
	}
	r.EditedAt, r.AnsweredAt, r.DueAt, r.ReplyTime = utc(c.EditedAt), utc(c.AnsweredAt), utc(c.DueAt), c.ReplyTime
	r.ReplyState = c.ReplyState
	if e.derived {
		r.ReplyState = comment.ReplyOpen
		if c.Official {
			r.ReplyState = comment.ReplyStaff
		}
	}
	im.scheduleAlert(r)
	e.changes |= ch
	return e, nil
}

// scheduleAlert gives an open reader comment shown since AlertSince a due
// time and its first alert now, as a new comment gets; any other imported
// comment never alerts.
func (im *importer) scheduleAlert(r *comment.Comment) {
	if im.opt.AlertSince.IsZero() || r.Official || r.Status != comment.StatusApproved ||
		r.ReplyState != comment.ReplyOpen || r.CreatedAt.Before(im.opt.AlertSince) {
		return
	}
	r.DueAt = im.opt.Schedule.Add(im.site, r.CreatedAt, im.site.Target()).UTC()
	r.NextAlertAt = im.now
}

// bodyOf returns the Markdown source and the HTML of a comment: HTML from
// the source is sanitised and its text kept as the source; Markdown is
// rendered unless Parley's own export carries its HTML. A body past the
// limit of new comments is cut, and its HTML rendered from what is left.
func (im *importer) bodyOf(body, rendered string, isHTML bool, ch change) (string, string, change) {
	var htm string
	switch {
	case isHTML:
		htm, body = fromHTML(im.md.Sanitize(body))
	case rendered != "":
		htm = im.md.Sanitize(rendered)
	}
	body = cleanText(body)
	if cut, ok := truncate(body, comment.MaxBodyLength); ok {
		body, htm, ch = cut, "", ch|changeTruncated
	}
	if htm == "" && body != "" {
		htm = im.md.Render(body)
	}
	return body, htm, ch
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// cleanText cleans text as the body of a new comment, without the work
// when there is nothing to clean (most imported text).
func cleanText(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && r != '\t' && unicode.IsControl(r) || r == '\uFEFF' }) {
		return comment.CleanText(s)
	}
	return strings.TrimSpace(s)
}

// truncate cuts s to n characters, reporting whether it did.
func truncate(s string, n int) (string, bool) {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s, false
	}
	i := 0
	for k := range s {
		if i == n {
			return strings.TrimSpace(s[:k]), true
		}
		i++
	}
	return s, false
}

// cleanLine folds white space and control characters to single spaces.
func cleanLine(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFEFF' }) &&
		!strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFEFF'
	}), " ")
}

// cleanAuthor keeps a name text: folded to one line, without angle
// brackets, at most comment.MaxAuthorLength characters.
func cleanAuthor(s string) string {
	if strings.ContainsAny(s, "<>") {
		s = strings.Map(func(r rune) rune {
			if r == '<' || r == '>' {
				return -1
			}
			return r
		}, s)
	}
	s = cleanLine(s)
	s, _ = truncate(s, comment.MaxAuthorLength)
	return s
}

// cleanEmail returns the address with its domain in lower case, or "" if
// it is not one address.
func cleanEmail(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > comment.MaxEmailLength {
		return ""
	}
	a, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	if err != nil || a.Address != s || a.Name != "" || at < 0 || !strings.Contains(s[at+1:], ".") {
		return ""
	}
	return s[:at] + strings.ToLower(s[at:])
}

// cleanWebsite returns an http or https address (adding https:// to a bare
// host name), or "" for anything else.
func cleanWebsite(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > comment.MaxWebsiteLength {
		return ""
	}
	if !strings.Contains(s, "://") && !strings.Contains(s, ":") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		strings.ContainsAny(u.Host, "<>\"' ") || strings.ContainsFunc(s, unicode.IsControl) {
		return ""
	}
	return u.String()
}
