package web_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/comment"
)

// fakeFilter stands in for an outside spam service (a fake at the edge).
type fakeFilter struct{ fail bool }

func (fakeFilter) Name() string { return "outside check" }

func (f fakeFilter) Check(_ context.Context, c comment.Candidate) (comment.Judgement, error) {
	if f.fail {
		return comment.Judgement{}, errors.New("connection refused")
	}
	return comment.Judgement{Spam: strings.Contains(c.Body, "buy followers"), Hold: strings.Contains(c.Body, "dubious"),
		Reasons: []string{"known spam"}}, nil
}

// screened posts a comment and returns what the reader was told and what
// was stored.
func (h *harness) screened(fields map[string]any) (string, comment.Comment) {
	h.t.Helper()
	if fields["url"] == nil {
		fields["url"] = "/post/"
	}
	p := h.mustPost("blog", fields)
	c, err := h.st.FindCommentByID(h.t.Context(), p.Comment.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return p.Comment.Status, c
}

func TestScreening(t *testing.T) {
	h := newHarnessWith(t, "sqlite", harnessOptions{filters: []comment.SpamFilter{fakeFilter{}}})
	owner := comment.Actor{Name: "Owner", Owner: true}
	blog, _ := h.svc.Site("blog")
	setSite := func(u comment.SiteUpdate) {
		t.Helper()
		if _, err := h.svc.UpdateSiteSettings(t.Context(), owner, blog.ID, u); err != nil {
			t.Fatal(err)
		}
	}
	mode := func(m comment.Moderation) comment.SiteUpdate { return comment.SiteUpdate{Moderation: &m} }
	setSite(comment.SiteUpdate{Blocklist: []string{"casino", "*@spam.example", "cheap*pills", "bad.example"}})

	tests := []struct {
		name       string
		fields     map[string]any
		status     comment.Status
		reasonPart string
	}{
		{"plain comment", map[string]any{"body": "Nice robot!", "elapsed_ms": 40000}, comment.StatusApproved, ""},
		{"honeypot filled", map[string]any{"body": "Nice robot!!", "hp": "http://spam.example"}, comment.StatusSpam, "invisible field"},
		{"sent too fast", map[string]any{"body": "Nice robot!!!", "elapsed_ms": 400}, comment.StatusPending, "0.4 s"},
		{"too many links", map[string]any{"body": "https://a.example https://b.example https://c.example https://d.example"}, comment.StatusPending, "4 links"},
		{"blocked word", map[string]any{"body": "Best CASINO bonus"}, comment.StatusSpam, "casino"},
		{"blocked word inside another word is fine", map[string]any{"body": "We visited the casinos of Monaco"}, comment.StatusApproved, ""},
		{"blocked email", map[string]any{"body": "hello there", "email": "bot@spam.example"}, comment.StatusSpam, "*@spam.example"},
		{"blocked wildcard", map[string]any{"body": "cheap blue pills here"}, comment.StatusSpam, "cheap*pills"},
		{"blocked website domain", map[string]any{"body": "hi", "website": "https://www.bad.example/x"}, comment.StatusSpam, "bad.example"},
		{"outside check says spam", map[string]any{"body": "buy followers now"}, comment.StatusSpam, "outside check: known spam"},
		{"outside check says hold", map[string]any{"body": "a dubious offer"}, comment.StatusPending, "outside check: known spam"},
		{"first of a repeated text", map[string]any{"body": "Great article, thanks for sharing it!"}, comment.StatusApproved, ""},
		{"the same text again", map[string]any{"body": "great article,   THANKS for sharing it!"}, comment.StatusSpam, "repeats comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			told, c := h.screened(tt.fields)
			if c.Status != tt.status || !strings.Contains(c.FlagReason, tt.reasonPart) {
				t.Errorf("stored %s (%q), want %s (%q)", c.Status, c.FlagReason, tt.status, tt.reasonPart)
			}
			if want := string(tt.status); tt.status == comment.StatusSpam && told != "pending" || tt.status != comment.StatusSpam && told != want {
				t.Errorf("the reader was told %q", told)
			}
		})
	}
	// Nothing but the approved ones is public; spam is kept, never lost.
	th := h.thread("blog", "/post/")
	if th.Thread.Count != 3 {
		t.Errorf("public count %d, want 3", th.Thread.Count)
	}

	t.Run("pre-moderation modes", func(t *testing.T) {
		setSite(mode(comment.ModerationAll))
		if _, c := h.screened(map[string]any{"body": "All held?", "url": "/m/"}); c.Status != comment.StatusPending {
			t.Errorf("mode all: %s", c.Status)
		}
		setSite(mode(comment.ModerationLinks))
		if _, c := h.screened(map[string]any{"body": "see https://x.example", "url": "/m/"}); c.Status != comment.StatusPending {
			t.Errorf("mode links, with a link: %s", c.Status)
		}
		if _, c := h.screened(map[string]any{"body": "no link here", "url": "/m/"}); c.Status != comment.StatusApproved {
			t.Errorf("mode links, without: %s", c.Status)
		}
		setSite(mode(comment.ModerationFirst))
		_, first := h.screened(map[string]any{"body": "My first comment", "email": "new@reader.example", "url": "/m/"})
		if first.Status != comment.StatusPending || !strings.Contains(first.FlagReason, "first comment") {
			t.Fatalf("mode first, new commenter: %s %q", first.Status, first.FlagReason)
		}
		if _, _, err := h.svc.Moderate(t.Context(), owner, first.ID, comment.ActionApprove, ""); err != nil {
			t.Fatal(err)
		}
		if _, c := h.screened(map[string]any{"body": "My second comment", "email": "new@reader.example", "url": "/m/"}); c.Status != comment.StatusApproved {
			t.Errorf("mode first, known commenter: %s", c.Status)
		}
		if _, c := h.screened(map[string]any{"body": "Who am I?", "url": "/m/"}); c.Status != comment.StatusPending {
			t.Errorf("mode first, no email: %s", c.Status)
		}
	})
}

func TestScreeningHoldsWhenOutsideCheckFails(t *testing.T) {
	h := newHarnessWith(t, "sqlite", harnessOptions{filters: []comment.SpamFilter{fakeFilter{fail: true}}})
	told, c := h.screened(map[string]any{"body": "An ordinary comment"})
	if told != "pending" || c.Status != comment.StatusPending || !strings.Contains(c.FlagReason, "outside check unavailable") {
		t.Errorf("told %q, stored %s %q: want held, never lost", told, c.Status, c.FlagReason)
	}
}
