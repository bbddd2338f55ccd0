package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

func TestPostAndReadNestedThread(t *testing.T) { forEachEngine(t, testPostAndReadNestedThread) }

func testPostAndReadNestedThread(t *testing.T, h *harness) {
	url := blogOrigin + "/post/"
	a := h.mustPost("blog", map[string]any{"url": url, "title": "A post", "author": "Ana", "email": "ana@mail.example",
		"website": "ana.example", "body": "Hello **world**"})
	if a.EditToken == "" || !a.EditUntil.Equal(h.clock().Add(15*time.Minute)) {
		t.Errorf("edit token %q until %v; want a token for 15 minutes", a.EditToken, a.EditUntil)
	}
	if a.Comment.HTML != "<p>Hello <strong>world</strong></p>\n" || a.Comment.Website != "https://ana.example" || a.Comment.ParentID != nil {
		t.Errorf("stored comment = %+v", a.Comment)
	}
	h.advance(time.Second)
	b := h.mustPost("blog", map[string]any{"url": url + "index.html?x=1", "parent_id": a.Comment.ID, "author": "Bo", "body": "reply"})
	h.advance(time.Second)
	c := h.mustPost("blog", map[string]any{"url": "/post/", "parent_id": b.Comment.ID, "body": "deeper"})
	h.advance(time.Second)
	d := h.mustPost("blog", map[string]any{"url": url, "body": "second top-level"})

	r := h.do("GET", "/api/v1/threads?site=blog&url="+url, nil)
	if r.status != 200 {
		t.Fatalf("GET thread: %d %s", r.status, r.body)
	}
	for _, secret := range []string{"ana@mail.example", "email", "client", "token", "127.0.0.1"} {
		if contains(r.body, secret) {
			t.Errorf("thread JSON contains %q: %s", secret, r.body)
		}
	}
	var th threadAnswer
	r.json(t, &th)
	if th.Thread.Count != 4 || th.Thread.Title != "A post" || th.Thread.Path != "/post/" {
		t.Errorf("thread = %+v", th.Thread)
	}
	if len(th.Comments) != 2 || th.Comments[0].ID != a.Comment.ID || th.Comments[1].ID != d.Comment.ID {
		t.Fatalf("top level = %+v", th.Comments)
	}
	rb := th.Comments[0].Replies
	if len(rb) != 1 || rb[0].ID != b.Comment.ID || len(rb[0].Replies) != 1 || rb[0].Replies[0].ID != c.Comment.ID ||
		*rb[0].Replies[0].ParentID != b.Comment.ID {
		t.Errorf("replies not nested: %+v", rb)
	}
	if th.Comments[0].Replies[0].Replies[0].Replies == nil {
		t.Error("replies of a leaf are null, want []")
	}
	if empty := h.thread("blog", "/never-commented/"); empty.Thread.Count != 0 || len(empty.Comments) != 0 {
		t.Errorf("empty thread = %+v", empty)
	}
}

func TestEditAndDeleteOwnComment(t *testing.T) { forEachEngine(t, testEditAndDeleteOwnComment) }

func testEditAndDeleteOwnComment(t *testing.T, h *harness) {
	p := h.mustPost("blog", map[string]any{"url": "/post/", "body": "frist"})
	path := fmt.Sprintf("/api/v1/comments/%d?site=blog", p.Comment.ID)
	edit := func(token, body string) response {
		return h.do("PATCH", path, []byte(`{"body":`+fmt.Sprintf("%q", body)+`}`), "Origin", blogOrigin, "Authorization", "Bearer "+token)
	}

	if r := edit("wrong", "x"); r.status != 403 || r.code() != "forbidden" {
		t.Errorf("edit with a wrong token: %d %s", r.status, r.body)
	}
	if r := h.do("PATCH", path, []byte(`{"body":"x"}`), "Origin", blogOrigin); r.code() != "forbidden" {
		t.Errorf("edit without a token: %d %s", r.status, r.body)
	}
	if r := h.do("PATCH", fmt.Sprintf("/api/v1/comments/%d?site=other", p.Comment.ID), []byte(`{"body":"x"}`),
		"Origin", otherOrigin, "Authorization", "Bearer "+p.EditToken); r.status != 404 {
		t.Errorf("edit through another site: %d %s", r.status, r.body)
	}
	h.advance(10 * time.Minute)
	r := edit(p.EditToken, "*first*")
	if r.status != 200 {
		t.Fatalf("edit in the window: %d %s", r.status, r.body)
	}
	th := h.thread("blog", "/post/")
	if got := th.Comments[0]; got.HTML != "<p><em>first</em></p>\n" || got.EditedAt == nil {
		t.Errorf("after edit: %+v", got)
	}
	h.advance(5*time.Minute + time.Second)
	if r := edit(p.EditToken, "late"); r.status != 403 || r.code() != "edit_expired" {
		t.Errorf("edit after the window: %d %s", r.status, r.body)
	}
	if r := h.do("DELETE", path, nil, "Origin", blogOrigin, "Authorization", "Bearer "+p.EditToken); r.code() != "edit_expired" {
		t.Errorf("delete after the window: %d %s", r.status, r.body)
	}
}

func TestEditLockedOnceStaffReplied(t *testing.T) { forEachEngine(t, testEditLockedOnceStaffReplied) }

func testEditLockedOnceStaffReplied(t *testing.T, h *harness) {
	p := h.mustPost("blog", map[string]any{"url": "/post/", "body": "question"})
	h.staffReply(p.Comment.ID, "answer")
	r := h.do("PATCH", fmt.Sprintf("/api/v1/comments/%d?site=blog", p.Comment.ID), []byte(`{"body":"changed"}`),
		"Origin", blogOrigin, "Authorization", "Bearer "+p.EditToken)
	if r.status != 403 || r.code() != "edit_locked" {
		t.Errorf("edit after a staff reply: %d %s", r.status, r.body)
	}
	th := h.thread("blog", "/post/")
	if !th.Comments[0].Replies[0].Official {
		t.Errorf("staff reply not official: %+v", th.Comments[0].Replies[0])
	}
}

func TestDeleteKeepsRepliesInPlace(t *testing.T) { forEachEngine(t, testDeleteKeepsRepliesInPlace) }

func testDeleteKeepsRepliesInPlace(t *testing.T, h *harness) {
	p := h.mustPost("blog", map[string]any{"url": "/post/", "author": "Ana", "body": "parent text"})
	lone := h.mustPost("blog", map[string]any{"url": "/post/", "body": "lone"})
	h.mustPost("blog", map[string]any{"url": "/post/", "parent_id": p.Comment.ID, "body": "child"})
	for _, c := range []postedAnswer{p, lone} {
		r := h.do("DELETE", fmt.Sprintf("/api/v1/comments/%d?site=blog", c.Comment.ID), nil,
			"Origin", blogOrigin, "Authorization", "Bearer "+c.EditToken)
		if r.status != 204 {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
	}
	r := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil)
	if contains(r.body, "parent text") || contains(r.body, "Ana") || contains(r.body, "lone") {
		t.Errorf("deleted text still served: %s", r.body)
	}
	var th threadAnswer
	r.json(t, &th)
	if len(th.Comments) != 1 || th.Comments[0].Status != "deleted" || len(th.Comments[0].Replies) != 1 || th.Thread.Count != 1 {
		t.Errorf("thread after delete = %+v", th)
	}
	r = h.do("DELETE", fmt.Sprintf("/api/v1/comments/%d?site=blog", p.Comment.ID), nil, "Origin", blogOrigin, "Authorization", "Bearer "+p.EditToken)
	if r.status != 404 {
		t.Errorf("second delete: %d %s", r.status, r.body)
	}
	if n := h.countRows(); n != 3 {
		t.Errorf("%d rows after deletes, want 3: rows stay", n)
	}
}

func TestBadInputAnswersStableCodes(t *testing.T) { forEachEngine(t, testBadInputAnswersStableCodes) }

func testBadInputAnswersStableCodes(t *testing.T, h *harness) {
	parent := h.mustPost("blog", map[string]any{"url": "/post/", "body": "parent"})
	elsewhere := h.mustPost("blog", map[string]any{"url": "/other/", "body": "other page"})
	good := func(extra string) []byte {
		return []byte(`{"url":"/post/","body":"hi"` + extra + `}`)
	}
	tests := []struct {
		name    string
		site    string
		body    []byte
		headers []string
		status  int
		code    string
	}{
		{"body over 64 KiB", "blog", []byte(`{"url":"/post/","body":"` + strings.Repeat("a", 65<<10) + `"}`), nil, 413, "too_large"},
		{"malformed JSON", "blog", []byte(`{"url":"/post/","body":`), nil, 400, "bad_json"},
		{"not an object", "blog", []byte(`["x"]`), nil, 400, "bad_json"},
		{"two values", "blog", []byte(`{"url":"/post/","body":"a"} {}`), nil, 400, "bad_json"},
		{"wrong type", "blog", []byte(`{"url":"/post/","body":"a","parent_id":"1"}`), nil, 400, "bad_json"},
		{"invalid UTF-8", "blog", []byte("{\"url\":\"/post/\",\"body\":\"caf\xe9\"}"), nil, 400, "bad_encoding"},
		{"empty body", "blog", nil, nil, 400, "empty_body"},
		{"blank body", "blog", []byte("  \n"), nil, 400, "empty_body"},
		{"unknown site", "nope", good(""), nil, 404, "unknown_site"},
		{"no site", "", good(""), nil, 404, "unknown_site"},
		{"unknown parent", "blog", good(`,"parent_id":99999`), nil, 422, "unknown_parent"},
		{"parent in another thread", "blog", good(fmt.Sprintf(`,"parent_id":%d`, elsewhere.Comment.ID)), nil, 422, "parent_mismatch"},
		{"origin not allowed", "blog", good(""), []string{"Origin", otherOrigin}, 403, "origin_not_allowed"},
		{"origin missing", "blog", good(""), []string{"Origin", ""}, 403, "origin_not_allowed"},
		{"origin null", "blog", good(""), []string{"Origin", "null"}, 403, "origin_not_allowed"},
		{"empty comment", "blog", []byte(`{"url":"/post/","body":"   "}`), nil, 422, "invalid"},
		{"no url", "blog", []byte(`{"body":"x"}`), nil, 422, "invalid"},
		{"javascript website", "blog", good(`,"website":"javascript:alert(1)"`), nil, 422, "invalid"},
		{"markup in name", "blog", good(`,"author":"<script>x</script>"`), nil, 422, "invalid"},
	}
	before := h.countRows()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := append([]string{"Origin", blogOrigin}, tt.headers...)
			r := h.do("POST", "/api/v1/comments?site="+tt.site, tt.body, headers...)
			if r.status != tt.status || r.code() != tt.code {
				t.Errorf("got %d %s, want %d %s", r.status, r.body, tt.status, tt.code)
			}
			if !contains(r.body, `"message":"`) {
				t.Errorf("no message in %s", r.body)
			}
		})
	}
	if after := h.countRows(); after != before {
		t.Errorf("bad requests changed the database: %d rows, was %d", after, before)
	}
	if th := h.thread("blog", "/post/"); len(th.Comments) != 1 || th.Comments[0].ID != parent.Comment.ID {
		t.Errorf("thread after bad input = %+v", th)
	}
}

func TestOtherRoutesAnswerJSONErrors(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/nope", 404, "not_found"},
		{"GET", "/api/v1/nope", 404, "not_found"},
		{"POST", "/api/v1/threads/x", 404, "not_found"},
		{"PUT", "/api/v1/comments?site=blog", 405, "method_not_allowed"},
		{"GET", "/api/v1/threads?site=blog", 422, "invalid"},
		{"GET", "/api/v1/threads?site=blog&url=javascript:x", 422, "invalid"},
		{"GET", "/api/v1/threads?site=blog&url=/%ff", 400, "bad_encoding"},
		{"GET", "/api/v1/threads?site=zzz&url=/", 404, "unknown_site"},
		{"PATCH", "/api/v1/comments/abc?site=blog", 404, "not_found"},
		{"GET", "/themes/nope.css", 404, "not_found"},
		{"GET", "/demo/", 404, "not_found"},
	}
	for _, tt := range tests {
		r := h.do(tt.method, tt.path, nil, "Origin", blogOrigin, "Authorization", "Bearer x")
		if r.status != tt.status || r.code() != tt.code {
			t.Errorf("%s %s: %d %s, want %d %s", tt.method, tt.path, r.status, r.body, tt.status, tt.code)
		}
	}
	if r := h.do("GET", "/healthz", nil); r.status != 200 || !bytes.Contains(r.body, []byte(`"ok"`)) {
		t.Errorf("healthz: %d %s", r.status, r.body)
	}
	if r := h.do("HEAD", "/embed.js", nil); r.status != 200 || r.header.Get("ETag") == "" || len(r.body) != 0 {
		t.Errorf("HEAD /embed.js: %d %v", r.status, r.header)
	}
	// A thread first posted with a path remembers the page's whole address.
	h.mustPost("blog", map[string]any{"url": "/by-path/", "body": "x"})
	if th := h.thread("blog", "/by-path/"); th.Thread.URL != blogOrigin+"/by-path/" {
		t.Errorf("thread url = %q", th.Thread.URL)
	}
}

func TestCounts(t *testing.T) { forEachEngine(t, testCounts) }

func testCounts(t *testing.T, h *harness) {
	h.mustPost("blog", map[string]any{"url": "/a/", "body": "1"})
	h.mustPost("blog", map[string]any{"url": "/a/", "body": "2"})
	h.mustPost("blog", map[string]any{"url": "/b/", "body": "3"})
	h.mustPost("other", map[string]any{"url": "/a/", "body": "other site"})
	r := h.do("GET", "/api/v1/counts?site=blog&url="+blogOrigin+"/a/index.html&url=/b/&url=/c/", nil)
	var got struct{ Counts map[string]int }
	r.json(t, &got)
	want := map[string]int{blogOrigin + "/a/index.html": 2, "/b/": 1, "/c/": 0}
	if fmt.Sprint(got.Counts) != fmt.Sprint(want) {
		t.Errorf("counts = %v, want %v", got.Counts, want)
	}
	many := strings.Repeat("&url=/x/", 101)
	if r := h.do("GET", "/api/v1/counts?site=blog"+many, nil); r.status != 422 || r.code() != "invalid" {
		t.Errorf("101 urls: %d %s", r.status, r.body)
	}
}

func TestLogsHoldNoPersonalData(t *testing.T) {
	h := newHarness(t)
	h.mustPost("blog", map[string]any{"url": "/post/?secret-query", "email": "hidden@mail.example", "body": "secret words"})
	log := h.logBuf.String()
	for _, s := range []string{"hidden@mail.example", "secret words", "secret-query"} {
		if strings.Contains(log, s) {
			t.Errorf("log contains %q:\n%s", s, log)
		}
	}
	if !strings.Contains(log, `"route":"/api/v1/comments"`) || !strings.Contains(log, `"request_id"`) {
		t.Errorf("request not logged with route and request id:\n%s", log)
	}
}

func TestCreateRefusedWithoutStoringOnMethodOfOtherSite(t *testing.T) {
	h := newHarness(t)
	// A page of site "other" cannot post into site "blog" even with a
	// correct body: the origin is checked per site.
	r := h.do("POST", "/api/v1/comments?site=blog", []byte(`{"url":"/post/","body":"x"}`), "Origin", otherOrigin)
	if r.status != http.StatusForbidden || h.countRows() != 0 {
		t.Errorf("cross-site post: %d %s, %d rows", r.status, r.body, h.countRows())
	}
}

func TestNestingDepthIsBounded(t *testing.T) {
	h := newHarness(t)
	parent := int64(0)
	for depth := 1; depth <= comment.MaxDepth; depth++ {
		fields := map[string]any{"url": "/deep/", "body": fmt.Sprint("level ", depth)}
		if parent != 0 {
			fields["parent_id"] = parent
		}
		parent = h.mustPost("blog", fields).Comment.ID
	}
	r := h.post("blog", map[string]any{"url": "/deep/", "body": "too deep", "parent_id": parent})
	if r.status != 422 || r.code() != "invalid" || !contains(r.body, `"field":"parent_id"`) {
		t.Errorf("reply at depth %d: %d %s", comment.MaxDepth+1, r.status, r.body)
	}
}
