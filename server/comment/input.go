package comment

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what a reader may send.
const (
	MaxBodyLength    = 10000 // characters of Markdown
	MaxAuthorLength  = 64
	MaxEmailLength   = 254
	MaxWebsiteLength = 256
	MaxTitleLength   = 200
)

// Input is what a reader sends to post a comment.
type Input struct {
	URL      string
	Title    string
	ParentID int64
	Author   string
	Email    string
	Website  string
	Body     string
	// ClientAddr is the client's IP address; only a keyed hash of it is kept.
	ClientAddr string
	// UserAgent goes to an outside spam check, if one is set up; it is not stored.
	UserAgent string
	// Honeypot is the embed's invisible field: people leave it empty.
	Honeypot string
	// Elapsed is how long the form was open before it was sent; zero if
	// the client did not say.
	Elapsed time.Duration
	// AuthorHint is the post's author as the page names it, for routing.
	AuthorHint string
}

// normalize cleans every field and checks it, returning the first problem as
// an Invalid *Error naming the field.
func (in *Input) normalize() error {
	var err error
	if in.Body, err = cleanBody(in.Body); err != nil {
		return err
	}
	if in.Author, err = cleanAuthor(in.Author); err != nil {
		return err
	}
	if in.Email, err = cleanEmail(in.Email); err != nil {
		return err
	}
	if in.Website, err = cleanWebsite(in.Website); err != nil {
		return err
	}
	in.Title = truncate(cleanLine(in.Title), MaxTitleLength)
	in.AuthorHint = truncate(cleanLine(in.AuthorHint), MaxAuthorLength*2)
	if in.ParentID < 0 {
		return FieldError("parent_id", "The parent comment id is not valid.")
	}
	return nil
}

// cleanBody normalises line ends, drops control characters other than tab and
// newline, and enforces the length limit.
func cleanBody(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", &Error{Code: BadEncoding, Field: "body", Message: "The comment is not valid UTF-8 text."}
	}
	s = CleanText(s)
	if s == "" {
		return "", FieldError("body", "The comment is empty.")
	}
	if n := utf8.RuneCountInString(s); n > MaxBodyLength {
		return "", FieldError("body", "The comment is %d characters long; the limit is %d.", n, MaxBodyLength)
	}
	return s, nil
}

// cleanLine folds all white space (and control characters) to single spaces.
func cleanLine(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFEFF'
	}), " ")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// cleanAuthor allows any name but markup: a name is text everywhere Parley
// shows it, and refusing angle brackets keeps it text in anyone else's
// careless template too.
func cleanAuthor(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", &Error{Code: BadEncoding, Field: "author", Message: "The name is not valid UTF-8 text."}
	}
	s = cleanLine(s)
	if utf8.RuneCountInString(s) > MaxAuthorLength {
		return "", FieldError("author", "The name is longer than %d characters.", MaxAuthorLength)
	}
	if strings.ContainsAny(s, "<>") {
		return "", FieldError("author", "The name may not contain < or >.")
	}
	return s, nil
}

func cleanEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) > MaxEmailLength {
		return "", FieldError("email", "The email address is longer than %d characters.", MaxEmailLength)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", FieldError("email", "The email address is not valid.")
	}
	at := strings.LastIndexByte(s, '@')
	return s[:at] + strings.ToLower(s[at:]), nil
}

// cleanWebsite accepts an http(s) address, adding https:// to a bare host
// name as readers often type one.
func cleanWebsite(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) > MaxWebsiteLength {
		return "", FieldError("website", "The website address is longer than %d characters.", MaxWebsiteLength)
	}
	if !strings.Contains(s, "://") && !strings.ContainsAny(s, ":") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		strings.ContainsAny(u.Host, "<>\"' ") || strings.ContainsFunc(s, unicode.IsControl) {
		return "", FieldError("website", "The website must be an http or https address.")
	}
	return u.String(), nil
}

// CleanText normalises line ends to \n and drops control characters other
// than tab and newline (and byte-order marks), as in the body of a comment;
// it trims the ends.
func CleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r), r == '\uFEFF':
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}
