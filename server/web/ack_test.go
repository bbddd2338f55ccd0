package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/staff"
)

// ackAnswer is a new comment's answer with its acknowledgement.
type ackAnswer struct {
	Comment commentAnswer `json:"comment"`
	Ack     *struct {
		Text          string    `json:"text"`
		Lang          string    `json:"lang"`
		ExpectedAt    time.Time `json:"expected_at"`
		TargetSeconds int64     `json:"target_seconds"`
	} `json:"ack"`
}

func (h *harness) postAck(fields map[string]any) ackAnswer {
	h.t.Helper()
	r := h.post("blog", fields)
	if r.status != 201 {
		h.t.Fatalf("post %v: %d %s", fields, r.status, r.body)
	}
	var a ackAnswer
	r.json(h.t, &a)
	if a.Ack == nil {
		h.t.Fatalf("post %v: no acknowledgement in %s", fields, r.body)
	}
	return a
}

// ackSite sets the blog up in Berlin with Monday 30 November a holiday, and
// moves the clock to Friday 27 November 16:30 there, so that the 4-hour
// target runs out on Tuesday at 12:30 (11:30 UTC).
func ackSite(t *testing.T, h *harness) *staffClient {
	h.advance(time.Date(2026, 11, 27, 15, 30, 0, 0, time.UTC).Sub(h.clock()))
	owner := h.signIn(h.addUser("owner@acme.example", staff.RoleOwner))
	r := owner.call("PATCH", "/api/v1/admin/sites/blog", `{"time_zone":"Europe/Berlin","holidays":"2026-11-30 Founders' day",
		"reply_target":"4h","moderation":"links","blocklist":["casino"]}`)
	if r.status != 200 {
		t.Fatalf("PATCH: %d %s", r.status, r.body)
	}
	return owner
}

func TestPostAcknowledges(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		ackSite(t, h)
		due := time.Date(2026, 12, 1, 11, 30, 0, 0, time.UTC)
		tests := []struct {
			name     string
			lang, tz any
			want     string
		}{
			{"polish in warsaw", "pl", "Europe/Warsaw",
				"Dziękujemy za komentarz, Ania! Nasz zespół zwykle odpowiada w ciągu 4 godzin. Spodziewaj się odpowiedzi we wtorek do 12:30."},
			{"greek in athens", "el-GR", "Europe/Athens",
				"Ευχαριστούμε για το σχόλιό σας, Ania! Η ομάδα μας συνήθως απαντά μέσα σε 4 ώρες· περιμένετε απάντηση έως την Τρίτη στις 13:30."},
			{"english in new york", "en-US", "America/New_York",
				"Thanks for your comment, Ania! Our team usually answers within 4 hours; expect a reply by Tuesday 06:30."},
			{"no zone: the site's, named", "de", nil,
				"Danke für Ihren Kommentar, Ania! Unser Team antwortet in der Regel innerhalb von 4 Stunden; Sie können bis Dienstag, 12:30 Uhr CET mit einer Antwort rechnen."},
			{"bad zone: ignored", "hr", "Mars/Olympus",
				"Hvala na komentaru, Ania! Naš tim obično odgovara unutar 4 sata. Očekujte odgovor u utorak do 12:30 CET."},
			{"a path is no zone", "en", "../../../etc/passwd",
				"Thanks for your comment, Ania! Our team usually answers within 4 hours; expect a reply by Tuesday 12:30 CET."},
			{"unknown language: english", "tlh", "Europe/Berlin",
				"Thanks for your comment, Ania! Our team usually answers within 4 hours; expect a reply by Tuesday 12:30."},
			{"no language: english", nil, "Europe/Berlin",
				"Thanks for your comment, Ania! Our team usually answers within 4 hours; expect a reply by Tuesday 12:30."},
			{"a number is no language", 42, 7, ""}, // refused: the fields are strings
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fields := map[string]any{"url": "/post/", "author": "Ania", "email": "ania@mail.example",
					"body": fmt.Sprintf("Question %d", i)}
				if tt.lang != nil {
					fields["lang"] = tt.lang
				}
				if tt.tz != nil {
					fields["tz"] = tt.tz
				}
				if tt.want == "" {
					if r := h.post("blog", fields); r.status != 400 {
						t.Errorf("lang and tz as numbers: %d %s", r.status, r.body)
					}
					return
				}
				a := h.postAck(fields)
				if a.Ack.Text != tt.want || !a.Ack.ExpectedAt.Equal(due) || a.Ack.TargetSeconds != 4*3600 {
					t.Errorf("ack = %+v\nwant %q, expected at %v, 14400 s", *a.Ack, tt.want, due)
				}
			})
		}
	})
}

// TestAckHeldLikeSpam checks a held comment and a spam comment get the
// same answer (a spammer must not learn which it is), and an approved one
// no mention of review.
func TestAckHeldLikeSpam(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		ackSite(t, h)
		post := func(body string) (string, ackAnswer) {
			r := h.post("blog", map[string]any{"url": "/post/", "author": "Ania", "body": body, "lang": "en", "tz": "Europe/Berlin"})
			var a ackAnswer
			r.json(t, &a)
			if r.status != 201 || a.Ack == nil {
				t.Fatalf("post %q: %d %s", body, r.status, r.body)
			}
			ack, _ := json.Marshal(a.Ack)
			return string(ack), a
		}
		approved, a := post("A question")
		if a.Comment.Status != "approved" || strings.Contains(approved, "review") {
			t.Errorf("approved: %s %s", a.Comment.Status, approved)
		}
		held, a := post("See https://shop.example/item")
		if a.Comment.Status != "pending" ||
			!strings.HasSuffix(a.Ack.Text, "expect a reply by Tuesday 12:30. Your comment will appear once a moderator has reviewed it.") {
			t.Errorf("held: %s %s", a.Comment.Status, held)
		}
		spam, a := post("Best casino")
		if a.Comment.Status != "pending" || spam != held {
			t.Errorf("spam answers %s %s, held %s", a.Comment.Status, spam, held)
		}
		if n := h.countStatus("spam"); n != 1 {
			t.Errorf("%d spam comments stored, want 1", n)
		}
	})
}

// countStatus counts the comments on the blog's /post/ with a status.
func (h *harness) countStatus(status string) int {
	h.t.Helper()
	site, err := h.svc.Site("blog")
	if err != nil {
		h.t.Fatal(err)
	}
	th, err := h.st.FindThread(h.t.Context(), site.ID, "/post/")
	if err != nil {
		h.t.Fatal(err)
	}
	cs, err := h.st.FindThreadComments(h.t.Context(), th.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	n := 0
	for _, c := range cs {
		if string(c.Status) == status {
			n++
		}
	}
	return n
}

func TestAckOwnerWording(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		owner := ackSite(t, h)
		bad := []struct{ body, message string }{
			{`{"ack_texts":{"pl":"Dzięki, {imie}!"}}`, "Acknowledgement (Polski): {imie} is not a placeholder"},
			{`{"ack_texts":{"en":"Thanks {name"}}`, "braces only go around a placeholder"},
			{`{"ack_texts":{"it":"Grazie!"}}`, "\"it\" is not a language"},
			{fmt.Sprintf(`{"ack_texts":{"de":%q}}`, strings.Repeat("x", 501)), "at most 500 fit"},
		}
		for _, tt := range bad {
			r := owner.call("PATCH", "/api/v1/admin/sites/blog", tt.body)
			var e struct {
				Error struct{ Code, Field, Message string }
			}
			r.json(t, &e)
			if r.status != 422 || e.Error.Code != "invalid" || e.Error.Field != "ack_texts" || !strings.Contains(e.Error.Message, tt.message) {
				t.Errorf("PATCH %.80s: %d %s, want 422 invalid ack_texts %q", tt.body, r.status, r.body, tt.message)
			}
		}
		r := owner.call("PATCH", "/api/v1/admin/sites/blog",
			`{"ack_texts":{"pl":"  Dzięki, {name}!\n<b>Odpowiemy</b> {target}, czyli {expected}. ","en":""}}`)
		var got struct {
			Site struct {
				AckTexts map[string]string `json:"ack_texts"`
			} `json:"site"`
		}
		r.json(t, &got)
		if r.status != 200 || len(got.Site.AckTexts) != 1 || got.Site.AckTexts["pl"] != "Dzięki, {name}! <b>Odpowiemy</b> {target}, czyli {expected}." {
			t.Fatalf("PATCH ack_texts: %d %s", r.status, r.body)
		}
		a := h.postAck(map[string]any{"url": "/post/", "author": "Ania", "body": "Pytanie", "lang": "pl", "tz": "Europe/Warsaw"})
		if want := "Dzięki, Ania! <b>Odpowiemy</b> w ciągu 4 godzin, czyli we wtorek do 12:30."; a.Ack.Text != want {
			t.Errorf("owner's wording: %q, want %q", a.Ack.Text, want)
		}
		// English was left empty: the default.
		a = h.postAck(map[string]any{"url": "/post/", "author": "Ann", "body": "Question", "lang": "en", "tz": "Europe/London"})
		if !strings.HasPrefix(a.Ack.Text, "Thanks for your comment, Ann!") {
			t.Errorf("default wording: %q", a.Ack.Text)
		}
	})
}

// TestAckNotForStaff checks an official reply is not acknowledged like a
// reader's comment.
func TestAckNotForStaff(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		owner := ackSite(t, h)
		q := h.postAck(map[string]any{"url": "/post/", "body": "Question", "lang": "en"})
		r := owner.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", q.Comment.ID), `{"body":"Answer"}`)
		if r.status != 200 && r.status != 201 {
			t.Fatalf("staff reply: %d %s", r.status, r.body)
		}
		if contains(r.body, `"ack"`) || contains(r.body, "usually answers") {
			t.Errorf("a staff reply was acknowledged: %s", r.body)
		}
	})
}

func TestSettingsFormAckTexts(t *testing.T) {
	f := newSLAFixture(t)
	edit := url.Values{"time_zone": {"Europe/Athens"}, "ack_section": {"1"}, "ack_en": {""}, "ack_de": {""}, "ack_es": {""},
		"ack_fr": {""}, "ack_hr": {""}, "ack_pl": {""}, "ack_el": {"Ευχαριστούμε, {name}! Απάντηση {expected}."}}
	if r := f.owner.form("/admin/settings/blog", f.settingsForm(edit)); r.status != 303 {
		t.Fatalf("save: %d %.300s", r.status, r.body)
	}
	if got := f.blog().AckTexts; len(got) != 1 || got["el"] != "Ευχαριστούμε, {name}! Απάντηση {expected}." {
		t.Fatalf("saved wordings %q", got)
	}
	// The clock is Monday 09:00 UTC, 11:00 in Athens: the 4-hour target
	// runs out at 15:00 there.
	page := text(f.owner.page("/admin/settings"))
	for _, want := range []string{
		"Preview, for a comment posted now: Ευχαριστούμε, Alex! Απάντηση σήμερα έως τις 15:00 EET.",
		"Preview, for a comment posted now: Thanks for your comment, Alex! Our team usually answers within 4 hours; expect a reply by 15:00 EET today.",
		"Preview, for a comment posted now: Dziękujemy za komentarz, Alex! Nasz zespół zwykle odpowiada w ciągu 4 godzin. Spodziewaj się odpowiedzi dziś do 15:00 EET.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("settings page lacks %q", want)
		}
	}
	// An older form without the section leaves the wordings alone.
	if r := f.owner.form("/admin/settings/blog", f.settingsForm(url.Values{"time_zone": {"Europe/Athens"}})); r.status != 303 {
		t.Fatalf("save without the section: %d", r.status)
	}
	if got := f.blog().AckTexts; len(got) != 1 {
		t.Errorf("wordings after a form without them: %q", got)
	}
	edit.Set("ack_hr", "Hvala {ime}")
	r := f.owner.form("/admin/settings/blog", f.settingsForm(edit))
	if !invalid(r) || !contains(r.body, "Acknowledgement (Hrvatski): {ime} is not a placeholder") {
		t.Errorf("bad placeholder: %d %.400s", r.status, r.body)
	}
}
