package comment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// SpamFilter is one spam check run before a comment is shown: the local
// score, or an Akismet-compatible service.
type SpamFilter interface {
	// Name names the check in the reasons recorded on a comment.
	Name() string
	// Check judges a comment. An error means the check could not run; the
	// comment is then held for a person to look at, never lost.
	Check(ctx context.Context, c Candidate) (Judgement, error)
}

// Judgement is what a spam check says: Spam (never shown), Hold (shown once
// staff approve it), or neither; Reasons say why.
type Judgement struct {
	Spam, Hold bool
	Reasons    []string
}

// Candidate is what spam checks look at.
type Candidate struct {
	Site, Permalink              string
	Author, Email, Website, Body string
	// ClientAddr and UserAgent are passed to outside services only; Parley
	// stores neither.
	ClientAddr, UserAgent string
}

// DefaultMaxLinks is the link limit of a new site.
const DefaultMaxLinks = 3

// MinFillTime is the least time a person takes to write a comment; forms
// sent faster are held.
const MinFillTime = 3 * time.Second

// RepeatWindow is how far back a comment's exact text counts as a repeat.
const RepeatWindow = 24 * time.Hour

// screening is the outcome of the checks: the status a new comment gets and
// why (empty for a plain approval).
type screening struct {
	status  Status
	reasons []string
}

func (v *screening) spam(reason string) {
	v.status = StatusSpam
	v.reasons = append(v.reasons, reason)
}

func (v *screening) hold(reason string) {
	if v.status != StatusSpam {
		v.status = StatusPending
	}
	v.reasons = append(v.reasons, reason)
}

// screen runs every check on a new reader comment. Spam is never shown and
// never alerts anyone; a held comment waits in the inbox for approval.
func (s *Service) screen(ctx context.Context, site Site, in Input, html, hash, permalink string) (screening, error) {
	v := screening{status: StatusApproved}
	if in.Honeypot != "" {
		v.spam("filled in the invisible field")
	}
	if in.Elapsed > 0 && in.Elapsed < MinFillTime {
		v.hold(fmt.Sprintf("sent %.1f s after the form opened", in.Elapsed.Seconds()))
	}
	if p := s.blocklistOf(site.ID).match(in); p != "" {
		v.spam("matches blocked pattern " + p)
	}
	if utfLen(in.Body) >= 20 {
		prev, err := s.store.FindCommentByHash(ctx, site.ID, hash, s.now().Add(-RepeatWindow))
		switch {
		case err == nil:
			v.spam(fmt.Sprintf("repeats comment #%d", prev.ID))
		case CodeOf(err) != NotFound:
			return v, err
		}
	}
	links := strings.Count(html, "<a href=")
	if links > site.MaxLinks {
		v.hold(fmt.Sprintf("%d links", links))
	}
	cand := Candidate{Site: site.Name, Permalink: permalink, Author: in.Author, Email: in.Email, Website: in.Website,
		Body: in.Body, ClientAddr: in.ClientAddr, UserAgent: in.UserAgent}
	for _, f := range s.filters {
		j, err := f.Check(ctx, cand)
		switch {
		case err != nil:
			v.hold(f.Name() + " unavailable")
		case j.Spam:
			v.spam(f.Name() + ": " + strings.Join(j.Reasons, ", "))
		case j.Hold:
			v.hold(f.Name() + ": " + strings.Join(j.Reasons, ", "))
		}
	}
	switch site.Moderation {
	case ModerationAll:
		v.hold("pre-moderation")
	case ModerationLinks:
		if links > 0 {
			v.hold("pre-moderation of comments with links")
		}
	case ModerationFirst:
		known := false
		if in.Email != "" {
			var err error
			if known, err = s.store.HasApprovedFromEmail(ctx, site.ID, in.Email); err != nil {
				return v, err
			}
		}
		if !known {
			v.hold("first comment of this commenter")
		}
	}
	return v, nil
}

// textHash identifies a comment's text whatever its case and spacing.
func textHash(body string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(body), " "))))
	return hex.EncodeToString(sum[:16])
}

func utfLen(s string) int { return len([]rune(s)) }

// blocklist is a site's blocked patterns, compiled once when the sites
// load rather than for every comment.
type blocklist []blockPattern

type blockPattern struct {
	raw string
	// whole matches a name, email, host or domain entirely; word matches
	// the text as whole words; sub matches a host's subdomains.
	whole, word, sub *regexp.Regexp
	email, domain    bool
}

func compileBlocklist(patterns []string) blocklist {
	var b blocklist
	for _, p := range patterns {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		b = append(b, blockPattern{raw: p, whole: globRE(p, true), word: globRE(p, false), sub: globRE("*."+p, true),
			email: strings.Contains(p, "@"), domain: strings.Contains(p, ".") && !strings.Contains(p, " ")})
	}
	return b
}

// match returns the first pattern the comment matches. Patterns with @
// match the email; patterns that look like a domain also match the
// website's host and the email's domain; all patterns match the name, and
// the text as whole words (so "ass" does not block "class"). * matches any
// run of characters.
func (b blocklist) match(in Input) string {
	email := strings.ToLower(in.Email)
	host := ""
	if i := strings.Index(in.Website, "://"); i >= 0 {
		host, _, _ = strings.Cut(in.Website[i+3:], "/")
	}
	host = strings.ToLower(host)
	_, emailDomain, _ := strings.Cut(email, "@")
	author, body := strings.ToLower(in.Author), strings.ToLower(in.Body)
	for _, p := range b {
		switch {
		case p.whole.MatchString(author):
		case p.email:
			if email == "" || !p.whole.MatchString(email) {
				continue
			}
		case p.domain && (p.whole.MatchString(host) || p.whole.MatchString(emailDomain) || p.sub.MatchString(host)):
		case p.word.MatchString(body):
		default:
			continue
		}
		return p.raw
	}
	return ""
}

// globRE turns a pattern with * into a regexp matching the whole string, or
// whole words inside a text.
func globRE(p string, whole bool) *regexp.Regexp {
	parts := strings.Split(p, "*")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	body := strings.Join(parts, `.*?`)
	if whole {
		return regexp.MustCompile(`^` + body + `$`)
	}
	return regexp.MustCompile(`(?:^|[^\p{L}\p{N}])` + body + `(?:$|[^\p{L}\p{N}])`)
}
