package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
)

// slaFixture is a blog with an owner, a member of its staff (Ana), staff
// of the other site (Bo) and one reader question on the blog.
type slaFixture struct {
	h              *harness
	owner, ana, bo *staffClient
	question       int64
}

func newSLAFixture(t *testing.T) *slaFixture {
	h := newHarness(t) // its clock starts on a Monday at 09:00 UTC, when business hours begin
	f := &slaFixture{h: h}
	f.owner = h.signIn(h.addUser("owner@acme.example", staff.RoleOwner))
	f.ana = h.signIn(h.addUser("ana@acme.example", staff.RoleStaff, "blog"))
	f.bo = h.signIn(h.addUser("bo@acme.example", staff.RoleStaff, "other"))
	f.question = h.mustPost("blog", map[string]any{"url": "/post/", "title": "Post", "body": "Where is my order?"}).Comment.ID
	return f
}

// form posts a panel form as a browser does, with the CSRF token.
func (sc *staffClient) form(path string, v url.Values) response {
	sc.h.t.Helper()
	v.Set("csrf", sc.csrf)
	return sc.h.do("POST", path, []byte(v.Encode()), "Cookie", "parley_session="+sc.cookie,
		"Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html")
}

// page gets a panel page and fails unless it answers 200.
func (sc *staffClient) page(path string) string {
	sc.h.t.Helper()
	r := sc.h.do("GET", path, nil, "Cookie", "parley_session="+sc.cookie, "Accept", "text/html")
	if r.status != 200 {
		sc.h.t.Fatalf("GET %s: %d %.300s", path, r.status, r.body)
	}
	return string(r.body)
}

// settingsForm is the settings form of the blog as the page fills it, with
// the reply section changed by edit.
func (f *slaFixture) settingsForm(edit url.Values) url.Values {
	v := url.Values{"title": {"Acme blog"}, "origins": {blogOrigin}, "edit_window": {"15m"}, "moderation": {"off"},
		"max_links": {"3"}, "reply_section": {"1"}, "reply_target": {"4h"}, "time_zone": {"UTC"},
		"hours": {comment.DefaultHours}, "holidays": {""}, "authors": {""}, "return": {"/admin/settings"}}
	for k, vs := range edit {
		v[k] = vs
	}
	return v
}

// text is the text of a page, its tags and runs of space made one space.
func text(html string) string {
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(html, " ")), " ")
}

// invalid reports whether a form was refused as invalid input.
func invalid(r response) bool { return r.status == 422 }

func (f *slaFixture) blog() comment.Site {
	site, err := f.h.svc.Site("blog")
	if err != nil {
		f.h.t.Fatal(err)
	}
	return site
}

func TestSettingsFormSavesReplyTarget(t *testing.T) {
	f := newSLAFixture(t)
	ana := f.ana.user.ID
	r := f.owner.form("/admin/settings/blog", f.settingsForm(url.Values{
		"time_zone": {"Europe/Athens"}, "hours": {"mon-fri 09:00-17:00\r\nsat 10:00-14:00"},
		"holidays": {"2026-12-25 Christmas\n2026-12-24..2026-12-26 Winter break"}, "reply_target": {"2h30m"},
		"assignees": {strconv.FormatInt(ana, 10)}, "authors": {"Maria K. = ANA@acme.example\n\n  Jo = owner@acme.example "},
	}))
	if r.status != 303 || r.header.Get("Location") != "/admin/settings?done=settings" {
		t.Fatalf("save: %d %v %.300s", r.status, r.header.Get("Location"), r.body)
	}
	site := f.blog()
	// Authors keep their spelling (they are matched without regard to case).
	want := []comment.AuthorRoute{{Author: "Jo", UserID: f.owner.user.ID}, {Author: "Maria K.", UserID: ana}}
	if site.TimeZone != "Europe/Athens" || site.Hours != "mon-fri 09:00-17:00\nsat 10:00-14:00" || site.ReplyTarget != 150*time.Minute ||
		!strings.Contains(site.Holidays, "Winter break") || fmt.Sprint(site.Assignees) != fmt.Sprint([]int64{ana}) ||
		fmt.Sprint(site.Authors) != fmt.Sprint(want) || site.Title != "Acme blog" {
		t.Fatalf("site after save: %+v", site)
	}
	body := f.owner.page("/admin/settings")
	for _, s := range []string{`value="2h30m"`, `value="Europe/Athens"`, "Jo = owner@acme.example\nMaria K. = ana@acme.example",
		fmt.Sprintf(`value="%d" checked`, ana), `<option value="Europe/Zagreb">`} {
		if !strings.Contains(body, s) {
			t.Errorf("settings page lacks %q", s)
		}
	}
	// Ticking nobody clears the assignees.
	if r := f.owner.form("/admin/settings/blog", f.settingsForm(nil)); r.status != 303 {
		t.Fatalf("save without assignees: %d", r.status)
	}
	if site := f.blog(); len(site.Assignees) != 0 || len(site.Authors) != 0 {
		t.Errorf("assignees and routes after clearing: %+v %+v", site.Assignees, site.Authors)
	}
}

func TestSettingsFormRefusesBadReplySettings(t *testing.T) {
	f := newSLAFixture(t)
	before := f.blog()
	tests := []struct {
		name string
		edit url.Values
		want string
	}{
		{"time zone", url.Values{"time_zone": {"Mars/Olympus"}}, "is not a time zone"},
		{"hours", url.Values{"hours": {"someday 9-5"}}, "Business hours"},
		{"holidays", url.Values{"holidays": {"Christmas"}}, "Holidays"},
		{"reply target", url.Values{"reply_target": {"soon"}}, "reply target must be a duration"},
		{"zero reply target", url.Values{"reply_target": {"0s"}}, "reply target must be a duration"},
		{"unknown email", url.Values{"authors": {"Maria = nobody@acme.example"}}, "line 1: nobody who may answer this site has the email &#34;nobody@acme.example&#34;"},
		{"other site's staff", url.Values{"authors": {"Bo = bo@acme.example"}}, "nobody who may answer this site"},
		{"route without email", url.Values{"authors": {"Maria K."}}, "Author name = staff email"},
		{"assignee of another site", url.Values{"assignees": {strconv.FormatInt(f.bo.user.ID, 10)}}, "assignee cannot see this site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.owner.form("/admin/settings/blog", f.settingsForm(tt.edit))
			if !invalid(r) || !contains(r.body, tt.want) || !contains(r.body, `class="adm-error"`) {
				t.Errorf("%d %s", r.status, r.body)
			}
			if after := f.blog(); fmt.Sprintf("%+v", after) != fmt.Sprintf("%+v", before) {
				t.Errorf("site changed:\n%+v\n%+v", before, after)
			}
		})
	}
}

func TestSettingsFormIsForOwners(t *testing.T) {
	f := newSLAFixture(t)
	before := f.blog()
	r := f.ana.form("/admin/settings/blog", f.settingsForm(url.Values{"reply_target": {"1h"}, "time_zone": {"Europe/Warsaw"}}))
	if r.status != 403 {
		t.Errorf("staff save: %d %.300s", r.status, r.body)
	}
	if r := f.bo.form("/admin/settings/blog", f.settingsForm(nil)); r.status != 404 {
		t.Errorf("staff of another site: %d", r.status)
	}
	if after := f.blog(); fmt.Sprintf("%+v", after) != fmt.Sprintf("%+v", before) {
		t.Errorf("site changed:\n%+v\n%+v", before, after)
	}
	if body := f.ana.page("/admin/settings"); !strings.Contains(body, "<fieldset disabled>") {
		t.Error("staff see an enabled settings form")
	}
}

func TestInboxShowsDeadlineAndReassignForm(t *testing.T) {
	f := newSLAFixture(t)
	path := fmt.Sprintf("/admin/comments/%d", f.question)
	// Posted on Monday at 09:00 UTC: due four business hours later.
	if body := f.ana.page("/admin/"); !strings.Contains(body, `<span class="adm-due">due in 4h 00m</span>`) ||
		!strings.Contains(body, "Site assignees") {
		t.Errorf("inbox lacks the deadline or the assignee: %s", body)
	}
	r := f.ana.form(path+"/assign", url.Values{"assignee_id": {strconv.FormatInt(f.ana.user.ID, 10)}, "return": {path}})
	if r.status != 303 || r.header.Get("Location") != path+"?done=assigned" {
		t.Fatalf("reassign: %d %v %.300s", r.status, r.header.Get("Location"), r.body)
	}
	if c, err := f.h.st.FindCommentByID(t.Context(), f.question); err != nil || c.AssigneeID != f.ana.user.ID {
		t.Fatalf("assignee after the form: %d %v", c.AssigneeID, err)
	}
	f.h.advance(5*time.Hour + 10*time.Minute)
	body := f.ana.page(path + "?done=assigned")
	for _, s := range []string{"Comment reassigned.", `<span class="adm-due adm-overdue">overdue by 1h 10m</span>`,
		fmt.Sprintf(`<option value="%d" selected>ana</option>`, f.ana.user.ID), "Assigned to</span> ana", "No alerts about this comment yet."} {
		if !strings.Contains(body, s) {
			t.Errorf("comment page lacks %q", s)
		}
	}
	// Nobody outside the site, and back to the site's assignees.
	if r := f.ana.form(path+"/assign", url.Values{"assignee_id": {strconv.FormatInt(f.bo.user.ID, 10)}}); !invalid(r) {
		t.Errorf("assign to staff of another site: %d", r.status)
	}
	if r := f.bo.form(path+"/assign", url.Values{"assignee_id": {"0"}}); r.status != 404 {
		t.Errorf("reassign by staff of another site: %d", r.status)
	}
	if r := f.ana.form(path+"/assign", url.Values{"assignee_id": {"0"}}); r.status != 303 {
		t.Errorf("back to the site's assignees: %d", r.status)
	}
	if c, _ := f.h.st.FindCommentByID(t.Context(), f.question); c.AssigneeID != 0 {
		t.Errorf("assignee = %d, want 0", c.AssigneeID)
	}
}

func TestCommentPageListsAlerts(t *testing.T) {
	f := newSLAFixture(t)
	ctx, now := t.Context(), f.h.clock()
	err := f.h.st.CreateNotifications(ctx, []comment.Notification{{DedupKey: "c1/new/ana/email", Kind: comment.AlertNew,
		Channel: comment.ChannelEmail, SiteID: f.blog().ID, UserID: f.ana.user.ID, CommentID: f.question, NextAttemptAt: now, CreatedAt: now}})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := f.h.st.ClaimNotifications(ctx, now, time.Minute, 10)
	if err != nil || len(ns) != 1 {
		t.Fatalf("claim: %v %v", ns, err)
	}
	if err := f.h.st.FinishNotification(ctx, ns[0].ID, comment.NotificationFailed, time.Time{}, "550 mailbox unavailable", now); err != nil {
		t.Fatal(err)
	}
	body := f.owner.page(fmt.Sprintf("/admin/comments/%d", f.question))
	if row := "New comment · email ana failed 550 mailbox unavailable 1 –"; !strings.Contains(text(body), row) {
		t.Errorf("comment page lacks the failed alert %q: %s", row, text(body))
	}
}

func TestMyAlertsForm(t *testing.T) {
	f := newSLAFixture(t)
	if body := f.ana.page("/admin/alerts"); !strings.Contains(body, `value="UTC"`) || !strings.Contains(body, "ana@acme.example") {
		t.Errorf("alerts page before any change: %s", body)
	}
	good := url.Values{"email": {"on"}, "webhook_url": {"https://hooks.example/parley"}, "webhook_format": {"slack"},
		"time_zone": {"Europe/Warsaw"}, "quiet_hours": {"22:00-07:00"}, "return": {"/admin/alerts"}}
	if r := f.ana.form("/admin/alerts", good); r.status != 303 || r.header.Get("Location") != "/admin/alerts?done=alerts" {
		t.Fatalf("save: %d %v %.300s", r.status, r.header.Get("Location"), r.body)
	}
	prefs, err := f.h.svc.AlertPrefs(t.Context(), f.ana.user.Actor())
	if err != nil || !prefs.Email || prefs.WebhookFormat != "slack" || prefs.TimeZone != "Europe/Warsaw" ||
		prefs.QuietHours != "22:00-07:00" || !strings.HasPrefix(prefs.WebhookSecret, "whsec_") {
		t.Fatalf("prefs after save: %+v %v", prefs, err)
	}
	body := f.ana.page("/admin/alerts?done=alerts")
	for _, s := range []string{"Alert settings saved.", `<code class="adm-token" id="webhook-secret" aria-labelledby="webhook-secret-label">` + prefs.WebhookSecret + `</code>`, `<option value="slack" selected>`,
		`name="email" value="on" checked`, `value="22:00-07:00"`} {
		if !strings.Contains(body, s) {
			t.Errorf("alerts page lacks %q", s)
		}
	}
	for _, tt := range []struct{ field, value, want string }{
		{"quiet_hours", "late", "Quiet hours look like 22:00-07:00"},
		{"time_zone", "Europe/Atlantis", "is not a time zone"},
		{"webhook_url", "ftp://hooks.example", "http or https address"},
		{"webhook_format", "teams", "json, slack or discord"},
	} {
		bad := url.Values{}
		for k, v := range good {
			bad[k] = slices.Clone(v)
		}
		bad.Set(tt.field, tt.value)
		if r := f.ana.form("/admin/alerts", bad); !invalid(r) || !contains(r.body, tt.want) {
			t.Errorf("%s=%q: %d %.400s", tt.field, tt.value, r.status, r.body)
		}
	}
	if after, _ := f.h.svc.AlertPrefs(t.Context(), f.ana.user.Actor()); after != prefs {
		t.Errorf("refused forms changed the prefs: %+v", after)
	}
}

func TestResponsePage(t *testing.T) {
	f := newSLAFixture(t)
	f.h.advance(2*time.Hour + 5*time.Minute)
	f.h.staffReply(f.question, "It ships today.")
	f.h.mustPost("blog", map[string]any{"url": "/post/", "body": "And a second question?"})
	body := f.ana.page("/admin/response")
	flat := text(body)
	for _, s := range []string{"blog", "target 4h", "Last 7 days 2 1 100% (1/1) 2h 05m 2h 05m",
		"Last 30 days 2 1 100% (1/1) 2h 05m 2h 05m", "&lt; 1h 1 1h–4h 0", "&gt; 7d 0 Overdue 0", "All open 1", "Site assignees Last 7 days"} {
		if !strings.Contains(flat, s) {
			t.Errorf("response page lacks %q in %s", s, flat)
		}
	}
	if strings.Contains(f.bo.page("/admin/response"), "2h 05m") {
		t.Error("staff of another site see the blog's figures")
	}
}
