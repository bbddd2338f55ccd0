package bench_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/admin"
	parleyembed "github.com/parleyhq/parley/embed"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/store/storetest"
	"github.com/parleyhq/parley/server/web"
	"github.com/parleyhq/parley/themes"
)

// inboxServer is a real server over a SQLite store holding 100,000 comments
// on 1,000 posts of one site, of which 10,000 reader comments are still
// unanswered, and the cookie of a signed-in owner.
func inboxServer(b *testing.B) (*httptest.Server, string) {
	b.Helper()
	ctx := b.Context()
	st := storetest.Open(b, nil)
	md := markup.New()
	svc := comment.NewService(comment.Config{Store: st, Renderer: md, ClientKey: []byte("k")})
	site, err := svc.SaveSite(ctx, comment.Site{Name: "blog", Origins: []string{"https://blog.example"}})
	if err != nil {
		b.Fatal(err)
	}
	if err := seedInbox(ctx, st, site.ID, md); err != nil {
		b.Fatal(err)
	}
	// A running server refreshes the planner's statistics at startup and
	// every 10 minutes; do the same after seeding.
	if err := st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	staffSvc := staff.NewService(staff.Config{Store: st, ClientHash: svc.ClientHash})
	if _, err := staffSvc.CreateUser(ctx, "owner@acme.example", "Owner", staff.RoleOwner, "benchmark password", nil); err != nil {
		b.Fatal(err)
	}
	srv, err := web.NewServer(web.Config{Service: svc, Staff: staffSvc, Log: discardLog(), Ping: st.Ping,
		Embed: parleyembed.FS, Themes: themes.FS, Admin: admin.FS})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)
	resp, err := http.Post(ts.URL+"/api/v1/admin/login", "application/json",
		strings.NewReader(`{"email":"owner@acme.example","password":"benchmark password"}`))
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == web.SessionCookie {
			return ts, c.Name + "=" + c.Value
		}
	}
	b.Fatal("no session cookie")
	return nil, ""
}

// seedInbox writes the comments in one transaction: 100 per post, each
// tenth reader comment left unanswered, the others answered.
func seedInbox(ctx context.Context, st *store.Store, siteID int64, md *markup.Markup) error {
	html := md.Render("Thanks for the post! Does it also work **in the cold**? See https://example.com/cold.")
	start := time.Now().Add(-90 * 24 * time.Hour)
	for p := 0; p < 1000; p++ {
		t, err := st.EnsureThread(ctx, comment.Thread{SiteID: siteID, Path: fmt.Sprintf("/post-%d/", p), Title: fmt.Sprintf("Post %d", p)})
		if err != nil {
			return err
		}
		batch := make([]comment.Comment, 100)
		for i := range batch {
			n := p*100 + i
			state := comment.ReplyAnswered
			if n%10 == 0 {
				state = comment.ReplyOpen
			}
			batch[i] = comment.Comment{SiteID: siteID, ThreadID: t.ID, Author: "Reader", Email: "reader@mail.example",
				Body: "Thanks for the post!", HTML: html, Status: comment.StatusApproved, ReplyState: state,
				CreatedAt: start.Add(time.Duration(n) * time.Minute)}
		}
		if err := st.CreateComments(ctx, batch); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkInboxFirstPage renders the first page of the inbox (HTML) of a
// site with 100,000 comments of which 10,000 are unanswered.
func BenchmarkInboxFirstPage(b *testing.B) {
	ts, cookie := inboxServer(b)
	for _, tt := range []struct{ name, path string }{
		{"html", "/admin/"},
		{"json", "/api/v1/admin/inbox"},
		{"html-one-site", "/admin/?site=blog"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			req, _ := http.NewRequest("GET", ts.URL+tt.path, nil)
			req.Header.Set("Cookie", cookie)
			for b.Loop() {
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !strings.Contains(string(body), "10000") {
					b.Fatalf("%s: %d %.300s", tt.path, resp.StatusCode, body)
				}
			}
		})
	}
}
