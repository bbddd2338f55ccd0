package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
)

func TestAdminSLASettingsAndRouting(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		owner := h.signIn(h.addUser("owner@acme.example", staff.RoleOwner))
		jane := h.signIn(h.addUser("jane@acme.example", staff.RoleStaff, "blog"))
		bo := h.signIn(h.addUser("bo@acme.example", staff.RoleStaff, "other"))

		bad := []struct{ body, field string }{
			{`{"time_zone":"Mars/Olympus"}`, "time_zone"},
			{`{"business_hours":"mon-fri 17:00-09:00"}`, "hours"},
			{`{"business_hours":"sun closed"}`, "hours"},
			{`{"holidays":"2026-13-40"}`, "holidays"},
			{`{"reply_target":"soon"}`, "reply_target"},
			{`{"reply_target":"-1h"}`, "reply_target"},
			{fmt.Sprintf(`{"assignees":[%d]}`, bo.user.ID), "assignees"},
			{fmt.Sprintf(`{"authors":[{"author":"Bo","user_id":%d}]}`, bo.user.ID), "authors"},
			{fmt.Sprintf(`{"authors":[{"author":"Jane","user_id":%d},{"author":"JANE","user_id":%d}]}`, jane.user.ID, jane.user.ID), "authors"},
		}
		for _, tt := range bad {
			r := owner.call("PATCH", "/api/v1/admin/sites/blog", tt.body)
			var e struct {
				Error struct{ Code, Field string }
			}
			r.json(t, &e)
			if r.status != 422 || e.Error.Code != "invalid" || e.Error.Field != tt.field {
				t.Errorf("PATCH %s: %d %s, want 422 invalid on %s", tt.body, r.status, r.body, tt.field)
			}
		}
		r := owner.call("PATCH", "/api/v1/admin/sites/blog", fmt.Sprintf(`{"time_zone":"Europe/Warsaw",
			"business_hours":"mon-fri 08:00-16:00","holidays":"2026-12-24..2026-12-26 Święta","reply_target":"2h",
			"assignees":[%d],"authors":[{"author":"Jane Doe","user_id":%d}]}`, owner.user.ID, jane.user.ID))
		if r.status != 200 {
			t.Fatalf("PATCH SLA: %d %s", r.status, r.body)
		}
		var got struct {
			Site struct {
				TimeZone    string  `json:"time_zone"`
				ReplyTarget string  `json:"reply_target"`
				Assignees   []int64 `json:"assignees"`
				Authors     []struct {
					Author string `json:"author"`
					UserID int64  `json:"user_id"`
				} `json:"authors"`
			} `json:"site"`
		}
		r.json(t, &got)
		if got.Site.TimeZone != "Europe/Warsaw" || got.Site.ReplyTarget != "2h0m0s" || len(got.Site.Assignees) != 1 ||
			len(got.Site.Authors) != 1 || got.Site.Authors[0].UserID != jane.user.ID {
			t.Fatalf("saved site = %+v", got.Site)
		}
		if r := jane.call("PATCH", "/api/v1/admin/sites/blog", `{"reply_target":"1h"}`); r.status != 403 {
			t.Errorf("staff changed the SLA: %d", r.status)
		}

		// Monday 23 November 2026, 09:00 UTC is 10:00 in Warsaw: due at 12:00 Warsaw.
		routed := h.mustPost("blog", map[string]any{"url": "/pricing/", "body": "Is VAT included?", "author_hint": "jane doe"})
		plain := h.mustPost("blog", map[string]any{"url": "/other-post/", "body": "Nice post"})
		detail := func(id int64) (assignee *int64, due time.Time) {
			var d struct {
				Comment struct {
					AssigneeID *int64    `json:"assignee_id"`
					DueAt      time.Time `json:"due_at"`
				} `json:"comment"`
			}
			owner.call("GET", fmt.Sprintf("/api/v1/admin/comments/%d", id), "").json(t, &d)
			return d.Comment.AssigneeID, d.Comment.DueAt
		}
		a, due := detail(routed.Comment.ID)
		if a == nil || *a != jane.user.ID || !due.Equal(time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC)) {
			t.Errorf("routed comment: assignee %v due %s, want Jane at 11:00 UTC", a, due)
		}
		if a, _ := detail(plain.Comment.ID); a != nil {
			t.Errorf("unrouted comment assigned to %d, want the site's assignees", *a)
		}
		// The public thread never tells who answers.
		if r := h.do("GET", "/api/v1/threads?site=blog&url=/pricing/", nil); contains(r.body, "assignee") || contains(r.body, "due_at") {
			t.Errorf("public thread shows routing: %s", r.body)
		}

		// Reassign, then back to the site's assignees; someone without the site cannot take it.
		path := fmt.Sprintf("/api/v1/admin/comments/%d/assign", routed.Comment.ID)
		if r := jane.call("POST", path, fmt.Sprintf(`{"assignee_id":%d}`, owner.user.ID)); r.status != 200 {
			t.Fatalf("assign: %d %s", r.status, r.body)
		}
		if a, _ := detail(routed.Comment.ID); a == nil || *a != owner.user.ID {
			t.Errorf("after assign: %v", a)
		}
		if r := jane.call("POST", path, fmt.Sprintf(`{"assignee_id":%d}`, bo.user.ID)); r.status != 422 {
			t.Errorf("assign to staff of another site: %d %s", r.status, r.body)
		}
		if r := jane.call("POST", path, `{"assignee_id":0}`); r.status != 200 {
			t.Errorf("unassign: %d", r.status)
		}
		var people struct {
			Assignables []struct{ ID int64 } `json:"assignables"`
		}
		jane.call("GET", "/api/v1/admin/sites/blog/assignables", "").json(t, &people)
		if len(people.Assignables) != 2 {
			t.Errorf("assignables of blog = %+v, want the owner and Jane", people.Assignables)
		}
		var audit struct {
			Items []struct{ Action string } `json:"items"`
		}
		owner.call("GET", "/api/v1/admin/audit?site=blog", "").json(t, &audit)
		assigns := 0
		for _, e := range audit.Items {
			if e.Action == string(comment.ActionAssign) {
				assigns++
			}
		}
		if assigns != 2 {
			t.Errorf("%d assign entries in the audit log, want 2", assigns)
		}
	})
}

func TestAdminAlertPrefs(t *testing.T) {
	h := newHarness(t)
	jane := h.signIn(h.addUser("jane@acme.example", staff.RoleStaff, "blog"))
	for _, body := range []string{
		`{"time_zone":"Nowhere/City"}`,
		`{"time_zone":"UTC","quiet_hours":"late"}`,
		`{"time_zone":"UTC","webhook_url":"ftp://x.example/"}`,
		`{"time_zone":"UTC","webhook_url":"https://x.example/","webhook_format":"teams"}`,
	} {
		if r := jane.call("PUT", "/api/v1/admin/me/alerts", body); r.status != 422 || r.code() != "invalid" {
			t.Errorf("PUT %s: %d %s", body, r.status, r.body)
		}
	}
	r := jane.call("PUT", "/api/v1/admin/me/alerts", `{"time_zone":"Europe/Zagreb","quiet_hours":"22:00-07:00","email":false,
		"webhook_url":"https://hooks.example/T1","webhook_format":"slack"}`)
	var p struct {
		Alerts struct {
			TimeZone, QuietHours string
			Email                bool
			Secret               string `json:"webhook_secret"`
			Format               string `json:"webhook_format"`
		} `json:"alerts"`
	}
	r.json(t, &p)
	if r.status != 200 || p.Alerts.Email || !strings.HasPrefix(p.Alerts.Secret, "whsec_") || p.Alerts.Format != "slack" {
		t.Fatalf("PUT alerts: %d %s", r.status, r.body)
	}
	secret := p.Alerts.Secret
	jane.call("PUT", "/api/v1/admin/me/alerts", `{"time_zone":"UTC","email":true,"webhook_url":"https://hooks.example/T2"}`).json(t, &p)
	if p.Alerts.Secret != secret {
		t.Errorf("the webhook secret changed on an update")
	}
	if r := h.do("GET", "/api/v1/admin/me/alerts", nil); r.status != 403 {
		t.Errorf("alerts without a session: %d", r.status)
	}
}

func TestMetricsAndReport(t *testing.T) {
	h := newHarness(t)
	owner := h.signIn(h.addUser("owner@acme.example", staff.RoleOwner))
	c := h.mustPost("blog", map[string]any{"url": "/a/", "body": "A question"})
	h.mustPost("blog", map[string]any{"url": "/a/", "body": "Another question"})
	h.advance(30 * time.Minute)
	if r := owner.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", c.Comment.ID), `{"body":"An answer"}`); r.status != 201 {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}
	r := h.do("GET", "/metrics", nil)
	for _, want := range []string{
		`parley_reply_time_seconds{site="blog",window="7d",quantile="0.5"} 1800`,
		`parley_comments_posted{site="blog",window="30d"} 2`,
		`parley_comments_answered{site="blog",window="7d"} 1`,
		`parley_backlog_comments{site="blog",age="1h"} 1`,
		`parley_backlog_overdue_comments{site="blog"} 0`,
		`parley_reply_target_seconds{site="blog"} 14400`,
	} {
		if r.status != 200 || !contains(r.body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, r.body)
		}
	}
	if contains(r.body, "owner@") || contains(r.body, "Owner") {
		t.Errorf("/metrics names a person")
	}
	var rep struct {
		Sites []struct {
			Site    string `json:"site"`
			Windows []struct {
				Days          int   `json:"days"`
				Answered      int   `json:"answered"`
				MedianSeconds int64 `json:"median_seconds"`
			} `json:"windows"`
			BacklogTotal int `json:"backlog_total"`
		} `json:"sites"`
	}
	owner.call("GET", "/api/v1/admin/report", "").json(t, &rep)
	found := false
	for _, s := range rep.Sites {
		if s.Site == "blog" {
			found = s.Windows[0].Days == 7 && s.Windows[0].Answered == 1 && s.Windows[0].MedianSeconds == 1800 && s.BacklogTotal == 1
		}
	}
	if len(rep.Sites) != 2 || !found {
		t.Errorf("report = %+v", rep)
	}
	// Staff of the other site see only theirs.
	bo := h.signIn(h.addUser("bo@acme.example", staff.RoleStaff, "other"))
	bo.call("GET", "/api/v1/admin/report", "").json(t, &rep)
	if len(rep.Sites) != 1 || rep.Sites[0].Site != "other" {
		t.Errorf("report for staff of other = %+v", rep)
	}
}

func TestMetricsToken(t *testing.T) {
	h := newHarnessWith(t, "sqlite", harnessOptions{metricsToken: "scrape-secret"})
	for _, auth := range []string{"", "Bearer wrong", "scrape-secret", "Basic scrape-secret"} {
		if r := h.do("GET", "/metrics", nil, "Authorization", auth); r.status != 403 {
			t.Errorf("/metrics with %q: %d", auth, r.status)
		}
	}
	if r := h.do("GET", "/metrics", nil, "Authorization", "Bearer scrape-secret"); r.status != 200 || !contains(r.body, "parley_backlog_comments") {
		t.Errorf("/metrics with the token: %d %.200s", r.status, r.body)
	}
}

func TestImportPageIsForOwners(t *testing.T) {
	h := newHarness(t)
	ana := h.signIn(h.addUser("ana@acme.example", staff.RoleStaff, "blog"))
	owner := h.signIn(h.addUser("owner@acme.example", staff.RoleOwner))
	if r := ana.call("GET", "/admin/import", ""); r.status != 403 {
		t.Errorf("import page as staff: %d", r.status)
	}
	r := h.do("POST", "/admin/import", []byte("csrf="+ana.csrf+"&site=blog&format=disqus"), "Cookie", "parley_session="+ana.cookie,
		"Content-Type", "application/x-www-form-urlencoded")
	if r.status != 403 {
		t.Errorf("import upload as staff: %d", r.status)
	}
	if r := owner.call("GET", "/admin/import", ""); r.status != 200 || !contains(r.body, `enctype="multipart/form-data"`) {
		t.Errorf("import page as owner: %d", r.status)
	}
}
