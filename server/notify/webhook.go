package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// Format is a webhook's payload format.
type Format string

// Webhook formats.
const (
	FormatJSON    Format = "json"    // the Event itself, signed; the default
	FormatSlack   Format = "slack"   // a Slack incoming-webhook message
	FormatDiscord Format = "discord" // a Discord webhook message
)

// Webhook is where and how to post events.
type Webhook struct {
	URL    string
	Format Format // empty means FormatJSON
	// Secret, when set, signs each body in the X-Parley-Signature header
	// (see Sign).
	Secret string
}

// Event is one alert, as posted to webhooks. With FormatJSON it is the body.
type Event struct {
	Kind     string         `json:"kind"`  // "new_comment", "reminder", "escalation", "digest"
	Site     string         `json:"site"`  // the site's name
	Title    string         `json:"title"` // one line: New comment on “Post title”
	Text     string         `json:"text"`  // plain-text body
	URL      string         `json:"url"`   // the admin panel
	Comments []EventComment `json:"comments"`
	SentAt   time.Time      `json:"sent_at"` // zero: set by Post
}

// EventComment is a comment an Event is about.
type EventComment struct {
	ID        int64     `json:"id"`
	Author    string    `json:"author"`
	Excerpt   string    `json:"excerpt"`
	PostTitle string    `json:"post_title"`
	PostURL   string    `json:"post_url"`
	AdminURL  string    `json:"admin_url"` // where to answer it
	DueAt     time.Time `json:"due_at"`    // when a reply is due; zero if none
}

// DefaultWebhookTimeout bounds a post with the client NewPoster makes.
const DefaultWebhookTimeout = 10 * time.Second

const (
	// maxErrorBody is how much of a failed response goes into the error.
	maxErrorBody = 512
	// maxDrain is how much of a response is read to reuse the connection.
	maxDrain = 64 << 10
)

// Poster posts events to webhooks. It is safe for concurrent use.
type Poster struct {
	client *http.Client
	now    func() time.Time
}

// NewPoster returns a Poster that posts with client and signs with the time
// from now. A nil client means one with DefaultWebhookTimeout; a nil now means
// time.Now. Redirects are never followed, with any client: the body and its
// signature go only to the URL the user set, and a 3xx is an error.
func NewPoster(client *http.Client, now func() time.Time) *Poster {
	if client == nil {
		client = &http.Client{Timeout: DefaultWebhookTimeout}
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if now == nil {
		now = time.Now
	}
	return &Poster{client: &c, now: now}
}

// Post sends ev to h in h's format, with the headers Content-Type
// application/json, User-Agent Parley, X-Parley-Event (the kind) and, with a
// secret, X-Parley-Signature. Any status other than 2xx is an error holding a
// *StatusError; Permanent tells whether a retry may help. Errors name the
// webhook's host only, since Slack and Discord URLs hold tokens.
func (p *Poster) Post(ctx context.Context, h Webhook, ev Event) error {
	u, err := url.Parse(h.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("webhook: want an http or https URL: %w", ErrInvalidConfig)
	}
	now := p.now()
	if ev.SentAt.IsZero() {
		ev.SentAt = now.UTC()
	}
	body, err := payload(h.Format, ev)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook: post to %s: %w: %w", u.Host, err, ErrInvalidConfig)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Parley")
	req.Header.Set("X-Parley-Event", ev.Kind)
	if h.Secret != "" {
		req.Header.Set(SignatureHeader, Sign(h.Secret, now, body))
	}
	resp, err := p.client.Do(req)
	if err != nil {
		var ue *url.Error // its message quotes the whole URL, token included
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook: post to %s: %w", u.Host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
		return nil
	}
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return fmt.Errorf("webhook: post to %s: %w", u.Host, &StatusError{StatusCode: resp.StatusCode, Body: printable(snippet)})
}

// payload renders ev in format f.
func payload(f Format, ev Event) ([]byte, error) {
	var v any
	switch f {
	case FormatJSON, "":
		if ev.Comments == nil {
			ev.Comments = []EventComment{} // [] rather than null for receivers
		}
		v = ev
	case FormatSlack:
		v = slackMessage(ev)
	case FormatDiscord:
		v = discordMessage(ev)
	default:
		return nil, fmt.Errorf("webhook: format %q: want json, slack or discord: %w", f, ErrInvalidConfig)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode %s payload: %w", f, err)
	}
	return b, nil
}

// printable makes a response body safe and short for a log line.
func printable(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, strings.ToValidUTF8(string(b), "?"))
	return clip(strings.TrimSpace(oneLine(s)), 200, nil)
}
