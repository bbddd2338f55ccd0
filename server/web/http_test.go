package web_test

import (
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleyhq/parley/admin"
	parleyembed "github.com/parleyhq/parley/embed"
	"github.com/parleyhq/parley/server/web"
	"github.com/parleyhq/parley/themes"
)

func TestThreadCacheETagAndInvalidation(t *testing.T) {
	forEachEngine(t, testThreadCacheETagAndInvalidation)
}

func testThreadCacheETagAndInvalidation(t *testing.T, h *harness) {
	h.mustPost("blog", map[string]any{"url": "/post/", "body": "one"})
	first := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil)
	etag := first.header.Get("ETag")
	if etag == "" || first.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("headers = %v", first.header)
	}
	if r := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil, "If-None-Match", etag); r.status != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", r.status)
	}
	h.mustPost("blog", map[string]any{"url": "/post/index.html", "body": "two"})
	r := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil, "If-None-Match", etag)
	if r.status != 200 || !contains(r.body, "two") || r.header.Get("ETag") == etag {
		t.Errorf("after a new comment: %d %s (etag %s)", r.status, r.body, r.header.Get("ETag"))
	}
}

func TestThreadGzip(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 20; i++ {
		h.mustPost("blog", map[string]any{"url": "/post/", "body": "a reasonably long comment to make compression worth it"})
	}
	plain := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil)
	gz := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil, "Accept-Encoding", "gzip")
	if gz.header.Get("Content-Encoding") != "gzip" || string(gz.body) != string(plain.body) {
		t.Errorf("gzip variant: encoding %q, same body %v", gz.header.Get("Content-Encoding"), string(gz.body) == string(plain.body))
	}
	if gz.header.Get("ETag") == plain.header.Get("ETag") {
		t.Error("gzip and plain variants share an ETag")
	}
	if r := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil, "Accept-Encoding", "gzip;q=0"); r.header.Get("Content-Encoding") != "" {
		t.Error("gzip sent despite q=0")
	}
	counts := h.do("GET", "/api/v1/counts?site=blog"+strings.Repeat("&url=/post/", 100), nil, "Accept-Encoding", "gzip")
	if counts.status != 200 {
		t.Errorf("counts: %d", counts.status)
	}
}

func TestCORS(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil, "Origin", blogOrigin)
	if r.header.Get("Access-Control-Allow-Origin") != blogOrigin || !strings.Contains(r.header.Get("Vary"), "Origin") {
		t.Errorf("allowed origin got %v", r.header)
	}
	r = h.do("GET", "/api/v1/threads?site=blog&url=/post/", nil, "Origin", otherOrigin)
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin allowed to read: %v", r.header)
	}
	r = h.do("OPTIONS", "/api/v1/comments?site=blog", nil, "Origin", blogOrigin, "Access-Control-Request-Method", "POST")
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != blogOrigin ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "PATCH") ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", r.status, r.header)
	}
	r = h.do("OPTIONS", "/api/v1/comments?site=blog", nil, "Origin", otherOrigin, "Access-Control-Request-Method", "POST")
	if r.status != 403 || r.code() != "origin_not_allowed" || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin: %d %s %v", r.status, r.body, r.header)
	}
}

// TestAssetsServed fetches every embedded file through the router.
func TestAssetsServed(t *testing.T) {
	h := newHarness(t)
	if err := fstest.TestFS(themes.FS, "base.css", "light.css", "dark.css", "auto.css"); err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(parleyembed.FS, "embed.js"); err != nil {
		t.Fatal(err)
	}
	urls := map[string][]byte{}
	for prefix, fsys := range map[string]fs.FS{"/themes/": themes.FS, "/embed/": parleyembed.FS, "/admin/static/": admin.FS} {
		err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") || strings.HasPrefix(name, "demo/") ||
				prefix == "/admin/static/" && strings.HasSuffix(name, ".html") {
				return err
			}
			body, err := fs.ReadFile(fsys, name)
			body = web.Slim(name, body)
			if name == "embed.js" {
				urls["/embed.js"] = body
			} else {
				urls[prefix+name] = body
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(urls) < 6 {
		t.Fatalf("only %d assets found: %v", len(urls), urls)
	}
	for u, want := range urls {
		r := h.do("GET", u, nil, "Accept-Encoding", "gzip")
		if r.status != 200 || r.header.Get("ETag") == "" || string(r.body) != string(want) || r.header.Get("Cache-Control") == "" {
			t.Errorf("GET %s: %d %v, body as in the file: %v", u, r.status, r.header, string(r.body) == string(want))
			continue
		}
		if r.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s: not readable from blogs' origins: %v", u, r.header)
		}
		if again := h.do("GET", u, nil, "Accept-Encoding", "gzip", "If-None-Match", r.header.Get("ETag")); again.status != 304 {
			t.Errorf("GET %s revalidated: %d", u, again.status)
		}
	}
	js := h.do("GET", "/embed.js", nil)
	if !strings.HasPrefix(js.header.Get("Content-Type"), "text/javascript") {
		t.Errorf("embed.js content type %q", js.header.Get("Content-Type"))
	}
}
