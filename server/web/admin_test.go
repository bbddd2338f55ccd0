package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/staff"
)

const testPassword = "correct horse battery"

// staffClient is a signed-in browser: its session cookie and CSRF token.
type staffClient struct {
	h      *harness
	cookie string
	csrf   string
	user   staff.User
}

// addUser creates an account; sites are site names.
func (h *harness) addUser(email string, role staff.Role, sites ...string) staff.User {
	h.t.Helper()
	var ids []int64
	for _, name := range sites {
		site, err := h.svc.Site(name)
		if err != nil {
			h.t.Fatal(err)
		}
		ids = append(ids, site.ID)
	}
	u, err := h.staff.CreateUser(h.t.Context(), email, "", role, testPassword, ids)
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

func (h *harness) signIn(u staff.User) *staffClient {
	h.t.Helper()
	r := h.do("POST", "/api/v1/admin/login", []byte(fmt.Sprintf(`{"email":%q,"password":%q}`, u.Email, testPassword)))
	if r.status != 200 {
		h.t.Fatalf("login %s: %d %s", u.Email, r.status, r.body)
	}
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	r.json(h.t, &out)
	return &staffClient{h: h, cookie: sessionCookie(h.t, r), csrf: out.CSRF, user: u}
}

func sessionCookie(t testing.TB, r response) string {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "parley_session" {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie lacks HttpOnly or SameSite=Lax: %+v", c)
			}
			return c.Value
		}
	}
	t.Fatalf("no session cookie in %v", r.header)
	return ""
}

// call sends an admin API request with the session and CSRF token.
func (sc *staffClient) call(method, path, body string) response {
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	return sc.h.do(method, path, b, "Cookie", "parley_session="+sc.cookie, "X-CSRF-Token", sc.csrf)
}

type adminFixture struct {
	h                    *harness
	owner, blogA, otherB *staffClient
	blogComment          postedAnswer
	otherComment         postedAnswer
}

func newAdminFixture(t *testing.T, engine string) *adminFixture {
	h := newHarnessEngine(t, engine)
	f := &adminFixture{h: h}
	f.owner = h.signIn(h.addUser("owner@acme.example", staff.RoleOwner))
	f.blogA = h.signIn(h.addUser("ana@acme.example", staff.RoleStaff, "blog"))
	f.otherB = h.signIn(h.addUser("bo@acme.example", staff.RoleStaff, "other"))
	f.blogComment = h.mustPost("blog", map[string]any{"url": "/post/", "title": "Post", "author": "Reader",
		"email": "reader@mail.example", "body": "Where is my **order**?"})
	f.otherComment = h.mustPost("other", map[string]any{"url": "/other/", "body": "Question on other"})
	return f
}

func TestAdminInboxReplyFlow(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) { testAdminInboxReplyFlow(t, engine) })
	}
}

func testAdminInboxReplyFlow(t *testing.T, engine string) {
	f := newAdminFixture(t, engine)
	h, a := f.h, f.blogA
	inbox := func(sc *staffClient) []int64 {
		r := sc.call("GET", "/api/v1/admin/inbox", "")
		if r.status != 200 {
			t.Fatalf("inbox: %d %s", r.status, r.body)
		}
		var l struct {
			Items []struct{ ID int64 }
			Total int
		}
		r.json(t, &l)
		var ids []int64
		for _, it := range l.Items {
			ids = append(ids, it.ID)
		}
		if len(ids) != l.Total {
			t.Errorf("inbox total %d, items %v", l.Total, ids)
		}
		return ids
	}
	if got := fmt.Sprint(inbox(a)); got != fmt.Sprint([]int64{f.blogComment.Comment.ID}) {
		t.Fatalf("blog staff inbox = %s", got)
	}
	if got := inbox(f.owner); len(got) != 2 {
		t.Fatalf("owner inbox = %v, want both sites", got)
	}
	r := a.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", f.blogComment.Comment.ID), `{"body":"It ships **today**."}`)
	if r.status != 201 {
		t.Fatalf("reply: %d %s", r.status, r.body)
	}
	if got := inbox(a); len(got) != 0 {
		t.Errorf("inbox after reply = %v, want empty", got)
	}
	th := h.thread("blog", "/post/")
	reply := th.Comments[0].Replies
	if len(reply) != 1 || !reply[0].Official || reply[0].Author != "ana" || !strings.Contains(reply[0].HTML, "<strong>today</strong>") {
		t.Fatalf("public thread after reply: %+v", th.Comments)
	}
	// The reader answers the staff reply: that needs an answer again.
	again := h.mustPost("blog", map[string]any{"url": "/post/", "parent_id": reply[0].ID, "body": "Thanks, but which carrier?"})
	if got := inbox(a); fmt.Sprint(got) != fmt.Sprint([]int64{again.Comment.ID}) {
		t.Errorf("inbox after the reader's follow-up = %v", got)
	}
	// No reply needed, with a reason, then reopened.
	path := fmt.Sprintf("/api/v1/admin/comments/%d", again.Comment.ID)
	if r := a.call("POST", path+"/no-reply", `{"reason":""}`); r.status != 422 {
		t.Errorf("no-reply without reason: %d %s", r.status, r.body)
	}
	if r := a.call("POST", path+"/no-reply", `{"reason":"answered by phone"}`); r.status != 200 {
		t.Errorf("no-reply: %d %s", r.status, r.body)
	}
	if got := inbox(a); len(got) != 0 {
		t.Errorf("inbox after no-reply = %v", got)
	}
	if r := a.call("POST", path+"/reopen", ""); r.status != 200 {
		t.Errorf("reopen: %d %s", r.status, r.body)
	}
	if got := inbox(a); len(got) != 1 {
		t.Errorf("inbox after reopen = %v", got)
	}
	// Staff edit their own reply at any time; the reader's window does not apply.
	h.advance(48 * time.Hour)
	a = h.signIn(a.user)
	rp := a.call("PATCH", fmt.Sprintf("/api/v1/admin/comments/%d", reply[0].ID), `{"body":"It shipped."}`)
	if rp.status != 200 {
		t.Errorf("edit own reply after two days: %d %s", rp.status, rp.body)
	}
	if r := h.signIn(f.otherB.user).call("PATCH", fmt.Sprintf("/api/v1/admin/comments/%d", reply[0].ID), `{"body":"x"}`); r.status != 404 {
		t.Errorf("edit by staff of another site: %d", r.status)
	}
}

// TestAdminScoping tries every admin endpoint as staff of another site.
func TestAdminScoping(t *testing.T) {
	f := newAdminFixture(t, "sqlite")
	b := f.otherB
	id := f.blogComment.Comment.ID
	for _, tt := range []struct{ method, path, body string }{
		{"GET", fmt.Sprintf("/api/v1/admin/comments/%d", id), ""},
		{"POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", id), `{"body":"x"}`},
		{"PATCH", fmt.Sprintf("/api/v1/admin/comments/%d", id), `{"body":"x"}`},
		{"POST", fmt.Sprintf("/api/v1/admin/comments/%d/moderate", id), `{"action":"hide","reason":"x"}`},
		{"POST", fmt.Sprintf("/api/v1/admin/comments/%d/moderate", id), `{"action":"spam"}`},
		{"POST", fmt.Sprintf("/api/v1/admin/comments/%d/no-reply", id), `{"reason":"x"}`},
		{"POST", fmt.Sprintf("/api/v1/admin/comments/%d/reopen", id), ""},
		{"DELETE", fmt.Sprintf("/api/v1/admin/comments/%d", id), ""},
		{"GET", "/api/v1/admin/inbox?site=blog", ""},
		{"GET", "/api/v1/admin/comments?site=blog", ""},
		{"GET", "/api/v1/admin/threads?site=blog", ""},
		{"GET", "/api/v1/admin/audit?site=blog", ""},
		{"PATCH", "/api/v1/admin/sites/blog", `{"moderation":"all"}`},
		{"POST", fmt.Sprintf("/api/v1/admin/comments/%d/assign", id), fmt.Sprintf(`{"assignee_id":%d}`, b.user.ID)},
		{"GET", fmt.Sprintf("/api/v1/admin/comments/%d/alerts", id), ""},
		{"GET", "/api/v1/admin/sites/blog/assignables", ""},
		{"GET", fmt.Sprintf("/admin/comments/%d", id), ""},
		{"GET", "/admin/?site=blog", ""},
		{"GET", "/admin/comments?site=blog", ""},
		{"GET", "/admin/posts?site=blog", ""},
		{"POST", fmt.Sprintf("/admin/comments/%d/reply", id), "body=x&csrf=" + b.csrf},
		{"POST", fmt.Sprintf("/admin/comments/%d/moderate", id), "action=hide&reason=x&csrf=" + b.csrf},
		{"POST", fmt.Sprintf("/admin/comments/%d/no-reply", id), "reason=x&csrf=" + b.csrf},
		{"POST", fmt.Sprintf("/admin/comments/%d/purge", id), "csrf=" + b.csrf},
		{"POST", "/admin/settings/blog", "title=x&edit_window=1m&csrf=" + b.csrf},
	} {
		r := b.call(tt.method, tt.path, tt.body)
		if strings.HasPrefix(tt.path, "/admin/") && tt.method == "POST" {
			r = f.h.do("POST", tt.path, []byte(tt.body), "Cookie", "parley_session="+b.cookie,
				"Content-Type", "application/x-www-form-urlencoded")
		}
		if r.status < 400 || contains(r.body, "Where is my") || contains(r.body, "reader@mail.example") {
			t.Errorf("%s %s as staff of another site: %d %.200s", tt.method, tt.path, r.status, r.body)
		}
	}
	// Lists never show the other site's comments.
	for _, path := range []string{"/api/v1/admin/inbox", "/api/v1/admin/comments", "/api/v1/admin/threads", "/admin/", "/admin/comments", "/admin/posts"} {
		r := b.call("GET", path, "")
		if r.status != 200 || contains(r.body, "Where is my") || contains(r.body, `"/post/"`) {
			t.Errorf("GET %s leaks site blog: %d %.300s", path, r.status, r.body)
		}
	}
	// Nothing changed.
	th := f.h.thread("blog", "/post/")
	if len(th.Comments) != 1 || len(th.Comments[0].Replies) != 0 || th.Comments[0].Status != "approved" {
		t.Errorf("blog thread changed: %+v", th)
	}
	// Staff read the audit log of their own site only (private follow-ups
	// are kept there), and do not change settings, even of their own site.
	var audit struct{ Items []struct{ Site string } }
	if r := b.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/no-reply", f.otherComment.Comment.ID), `{"reason":"thanks"}`); r.status != 200 {
		t.Fatalf("no-reply on other: %d %s", r.status, r.body)
	}
	r := f.blogA.call("GET", "/api/v1/admin/audit", "")
	r.json(t, &audit)
	if r.status != 200 || contains(r.body, `"site":"other"`) {
		t.Errorf("audit as staff of blog: %d %s", r.status, r.body)
	}
	if f.owner.call("GET", "/api/v1/admin/audit", "").json(t, &audit); len(audit.Items) != 1 || audit.Items[0].Site != "other" {
		t.Errorf("audit as owner: %+v", audit.Items)
	}
	if r := f.blogA.call("PATCH", "/api/v1/admin/sites/blog", `{"moderation":"all"}`); r.status != 403 {
		t.Errorf("settings as staff: %d", r.status)
	}
}

func TestAdminModerationNeverSilentlyDeletes(t *testing.T) {
	f := newAdminFixture(t, "sqlite")
	h, a, owner := f.h, f.blogA, f.owner
	path := fmt.Sprintf("/api/v1/admin/comments/%d", f.blogComment.Comment.ID)
	if r := a.call("POST", path+"/moderate", `{"action":"hide","reason":"  "}`); r.status != 422 || r.code() != "invalid" {
		t.Errorf("hide without reason: %d %s", r.status, r.body)
	}
	if r := a.call("POST", path+"/moderate", `{"action":"hide","reason":"personal data of a third person"}`); r.status != 200 {
		t.Fatalf("hide: %d %s", r.status, r.body)
	}
	if th := h.thread("blog", "/post/"); len(th.Comments) != 0 {
		t.Errorf("hidden comment still public: %+v", th.Comments)
	}
	if c, err := h.st.FindCommentByID(t.Context(), f.blogComment.Comment.ID); err != nil || c.Status != "hidden" || c.Body == "" {
		t.Errorf("hidden row: %+v %v", c, err)
	}
	if r := owner.call("DELETE", path, ""); r.status != 403 {
		t.Errorf("purge of a hidden (not spam) comment: %d %s", r.status, r.body)
	}
	if r := a.call("POST", path+"/moderate", `{"action":"spam"}`); r.status != 200 {
		t.Fatalf("spam: %d %s", r.status, r.body)
	}
	if r := a.call("DELETE", path, ""); r.status != 403 {
		t.Errorf("purge by staff: %d %s", r.status, r.body)
	}
	if r := owner.call("DELETE", path, ""); r.status != 204 {
		t.Fatalf("purge by owner: %d %s", r.status, r.body)
	}
	r := owner.call("GET", "/api/v1/admin/audit?comment="+fmt.Sprint(f.blogComment.Comment.ID), "")
	var audit struct {
		Items []struct{ Action, User, Reason, Detail string }
	}
	r.json(t, &audit)
	var actions []string
	for _, e := range audit.Items {
		actions = append(actions, e.Action+"/"+e.User)
	}
	if got := strings.Join(actions, " "); got != "purge/owner spam/ana hide/ana" {
		t.Errorf("audit = %q", got)
	}
	if audit.Items[2].Reason != "personal data of a third person" || !strings.Contains(audit.Items[0].Detail, "Where is my") {
		t.Errorf("audit entries lack reason or detail: %+v", audit.Items)
	}
}

func TestAdminCSRFAndCrossOrigin(t *testing.T) {
	f := newAdminFixture(t, "sqlite")
	a := f.blogA
	path := fmt.Sprintf("/api/v1/admin/comments/%d/reply", f.blogComment.Comment.ID)
	r := f.h.do("POST", path, []byte(`{"body":"x"}`), "Cookie", "parley_session="+a.cookie)
	if r.status != 403 || r.code() != "forbidden" {
		t.Errorf("reply without CSRF token: %d %s", r.status, r.body)
	}
	r = f.h.do("POST", path, []byte(`{"body":"x"}`), "Cookie", "parley_session="+a.cookie, "X-CSRF-Token", "wrong")
	if r.status != 403 {
		t.Errorf("reply with a wrong CSRF token: %d %s", r.status, r.body)
	}
	r = f.h.do("POST", path, []byte(`{"body":"x"}`), "Cookie", "parley_session="+a.cookie, "X-CSRF-Token", a.csrf,
		"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if r.status != 403 {
		t.Errorf("cross-site reply: %d %s", r.status, r.body)
	}
	form := "body=x&return=/admin/"
	r = f.h.do("POST", fmt.Sprintf("/admin/comments/%d/reply", f.blogComment.Comment.ID), []byte(form),
		"Cookie", "parley_session="+a.cookie, "Content-Type", "application/x-www-form-urlencoded")
	if r.status != 403 {
		t.Errorf("form reply without csrf field: %d", r.status)
	}
	if th := f.h.thread("blog", "/post/"); len(th.Comments[0].Replies) != 0 {
		t.Error("a refused request stored a reply")
	}
	r = f.h.do("POST", fmt.Sprintf("/admin/comments/%d/reply", f.blogComment.Comment.ID), []byte(form+"&csrf="+url.QueryEscape(a.csrf)),
		"Cookie", "parley_session="+a.cookie, "Content-Type", "application/x-www-form-urlencoded")
	if r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/admin/?done=replied") {
		t.Errorf("form reply with csrf: %d %v", r.status, r.header.Get("Location"))
	}
}

func TestAdminLoginThrottleAndSessions(t *testing.T) {
	h := newHarness(t)
	u := h.addUser("ana@acme.example", staff.RoleOwner)
	login := func(password string, ip string) response {
		return h.do("POST", "/api/v1/admin/login", []byte(fmt.Sprintf(`{"email":"ana@acme.example","password":%q}`, password)))
	}
	for i := 0; i < 6; i++ {
		if r := login("wrong password", ""); r.status != 403 || r.code() != "forbidden" {
			t.Fatalf("failure %d: %d %s", i+1, r.status, r.body)
		}
	}
	r := login(testPassword, "")
	if r.status != 429 || r.code() != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("login after repeated failures: %d %s %v", r.status, r.body, r.header)
	}
	h.advance(31 * time.Second)
	r = login(testPassword, "")
	if r.status != 200 {
		t.Fatalf("login after the wait: %d %s", r.status, r.body)
	}
	first := sessionCookie(t, r)
	// Signing in again from the same browser ends the old session (no fixation).
	r = h.do("POST", "/api/v1/admin/login", []byte(`{"email":"ana@acme.example","password":"`+testPassword+`"}`),
		"Cookie", "parley_session="+first)
	second := sessionCookie(t, r)
	if second == first {
		t.Fatal("session token not rotated at login")
	}
	if r := h.do("GET", "/api/v1/admin/me", nil, "Cookie", "parley_session="+first); r.status != 403 {
		t.Errorf("old session still valid: %d", r.status)
	}
	if r := h.do("GET", "/api/v1/admin/me", nil, "Cookie", "parley_session="+second); r.status != 200 || !contains(r.body, u.Email) {
		t.Errorf("new session: %d %s", r.status, r.body)
	}
	// Sessions expire when idle.
	h.advance(13 * time.Hour)
	if r := h.do("GET", "/api/v1/admin/me", nil, "Cookie", "parley_session="+second); r.status != 403 {
		t.Errorf("idle session still valid: %d", r.status)
	}
	if r := h.do("GET", "/admin/", nil, "Cookie", "parley_session="+second); r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/admin/login") {
		t.Errorf("admin page without session: %d %v", r.status, r.header.Get("Location"))
	}
	// Logout ends the session.
	sc := h.signIn(u)
	if r := sc.call("POST", "/api/v1/admin/logout", ""); r.status != 204 {
		t.Errorf("logout: %d", r.status)
	}
	if r := sc.call("GET", "/api/v1/admin/me", ""); r.status != 403 {
		t.Errorf("session after logout: %d", r.status)
	}
	log := h.logBuf.String()
	for _, secret := range []string{testPassword, "wrong password", first, second, sc.cookie, "ana@acme.example"} {
		if strings.Contains(log, secret) {
			t.Errorf("log contains a secret %q", secret)
		}
	}
}

func TestAdminAPIToken(t *testing.T) {
	f := newAdminFixture(t, "sqlite")
	r := f.blogA.call("POST", "/api/v1/admin/token", "")
	var tok struct {
		Token string `json:"api_token"`
	}
	r.json(t, &tok)
	if r.status != 201 || !strings.HasPrefix(tok.Token, "pk_") {
		t.Fatalf("token: %d %s", r.status, r.body)
	}
	r = f.h.do("POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", f.blogComment.Comment.ID), []byte(`{"body":"via API"}`),
		"Authorization", "Bearer "+tok.Token)
	if r.status != 201 {
		t.Errorf("reply with API token: %d %s", r.status, r.body)
	}
	if r := f.h.do("GET", "/api/v1/admin/inbox", nil, "Authorization", "Bearer pk_wrong"); r.status != 403 {
		t.Errorf("wrong token: %d", r.status)
	}
}

func TestAdminPagesRender(t *testing.T) {
	f := newAdminFixture(t, "sqlite")
	f.h.staffReply(f.otherComment.Comment.ID, "answered")
	for _, path := range []string{"/admin/", "/admin/comments", "/admin/comments?state=unanswered&q=order",
		fmt.Sprintf("/admin/comments/%d", f.blogComment.Comment.ID), "/admin/posts", "/admin/audit", "/admin/settings", "/admin/dashboard"} {
		r := f.owner.call("GET", path, "")
		if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "text/html") ||
			!strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("GET %s: %d %v", path, r.status, r.header)
		}
	}
	r := f.owner.call("GET", "/admin/", "")
	if !contains(r.body, "Where is my <strong>order</strong>") || !contains(r.body, f.owner.csrf) {
		t.Errorf("inbox page lacks the comment or the CSRF token")
	}
	if r := f.h.do("GET", "/admin/login", nil); r.status != 200 || !contains(r.body, `type="password"`) {
		t.Errorf("login page: %d", r.status)
	}
	r = f.h.do("POST", "/admin/login", []byte("email=owner%40acme.example&password=nope"), "Content-Type", "application/x-www-form-urlencoded")
	if r.status != 403 || !contains(r.body, "Wrong email or password") {
		t.Errorf("failed form login: %d", r.status)
	}
}
