package web_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup/markuptest"
)

// atomDoc is what a feed reader reads of an Atom feed.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Author    string `xml:"author>name"`
		Email     string `xml:"author>email"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func (h *harness) feed(query string, headers ...string) (response, atomDoc) {
	h.t.Helper()
	r := h.do("GET", "/api/v1/feed.atom?"+query, nil, headers...)
	var doc atomDoc
	if r.status == http.StatusOK {
		if err := xml.Unmarshal(r.body, &doc); err != nil {
			h.t.Fatalf("feed %s does not parse: %v\n%s", query, err, r.body)
		}
	}
	return r, doc
}

func TestFeed(t *testing.T) { forEachEngine(t, testFeed) }

func testFeed(t *testing.T, h *harness) {
	page := blogOrigin + "/post/"
	first := h.mustPost("blog", map[string]any{"url": page, "title": "Rover review", "author": "Ann", "email": "ann@example.com",
		"website": "https://ann.example", "body": "Is it **waterproof**?"})
	h.advance(time.Minute)
	h.mustPost("blog", map[string]any{"url": page, "author": "Eve", "email": "eve@example.com",
		"body": "https://a.example https://b.example https://c.example https://d.example"}) // held: links
	h.staffReply(first.Comment.ID, "Yes, IP67.")
	h.advance(time.Minute)
	h.mustPost("blog", map[string]any{"url": blogOrigin + "/other-post/", "author": "Bob", "body": "Second page"})
	h.mustPost("other", map[string]any{"url": otherOrigin + "/post/", "author": "Zed", "body": "Another site"})

	r, doc := h.feed("site=blog&url=" + url.QueryEscape(page))
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("thread feed: %d %s %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	for _, secret := range []string{"@example.com", "ann.example", "client_hash", "edit_token"} {
		if contains(r.body, secret) {
			t.Errorf("the feed holds %q:\n%s", secret, r.body)
		}
	}
	if len(doc.Entries) != 2 || doc.Entries[0].Author != "Staff" || doc.Entries[1].Author != "Ann" {
		t.Fatalf("entries (newest first, shown only): %+v", doc.Entries)
	}
	e := doc.Entries[1]
	if e.Content.Type != "html" || e.Content.Body != "<p>Is it <strong>waterproof</strong>?</p>\n" || e.Email != "" ||
		!strings.HasPrefix(e.ID, "tag:blog.example,2026-11-23:") || e.Link.Href != fmt.Sprintf("%s#parley-c-%d", page, first.Comment.ID) ||
		e.Published != "2026-11-23T09:00:00Z" {
		t.Errorf("entry: %+v", e)
	}
	if !strings.HasPrefix(doc.ID, "tag:blog.example,") || doc.Title != "Comments on “Rover review”" || doc.Updated != "2026-11-23T09:01:00Z" ||
		len(doc.Links) != 2 || doc.Links[0].Rel != "self" || doc.Links[0].Href != "/api/v1/feed.atom?site=blog&url="+url.QueryEscape(page) ||
		doc.Links[1].Href != page {
		t.Errorf("feed: %+v", doc)
	}
	if !strings.Contains(doc.Entries[0].Title, "staff") {
		t.Errorf("the staff reply is not marked: %q", doc.Entries[0].Title)
	}

	// Cached like threads: a conditional GET is answered 304, until a change.
	etag := r.header.Get("ETag")
	if again, _ := h.feed("site=blog&url="+url.QueryEscape(page), "If-None-Match", etag); again.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", again.status)
	}
	h.mustPost("blog", map[string]any{"url": page, "author": "Cy", "body": "New!"})
	if changed, doc := h.feed("site=blog&url="+url.QueryEscape(page), "If-None-Match", etag); changed.status != http.StatusOK || len(doc.Entries) != 3 {
		t.Errorf("after a new comment: %d, %d entries", changed.status, len(doc.Entries))
	}

	// The site's feed has every page of the site, and no other site's.
	r, doc = h.feed("site=blog")
	if r.status != http.StatusOK || len(doc.Entries) != 4 || doc.Entries[0].Author != "Cy" || contains(r.body, "Zed") {
		t.Errorf("site feed: %d %+v", r.status, doc.Entries)
	}

	for _, tt := range []struct {
		query  string
		status int
		code   string
	}{
		{"site=nope", http.StatusNotFound, "unknown_site"},
		{"site=blog&url=" + url.QueryEscape(blogOrigin+"/never-commented/"), http.StatusNotFound, "not_found"},
		{"site=blog&url=javascript:alert(1)", http.StatusUnprocessableEntity, "invalid"},
	} {
		if r, _ := h.feed(tt.query); r.status != tt.status || r.code() != tt.code {
			t.Errorf("%s: %d %s", tt.query, r.status, r.body)
		}
	}
}

// TestFeedCorpora stores every line of the XSS and naughty-strings
// corpora as a comment (through the real sanitiser), as the text and the
// author's name, and reads them all back through thread feeds: each feed
// parses, and no entry holds anything a browser could run.
func TestFeedCorpora(t *testing.T) {
	h := newHarness(t)
	blog, _ := h.svc.Site("blog")
	var lines []string
	for _, name := range []string{"xss-payloads.txt", "blns.txt"} {
		lines = append(lines, markuptest.Corpus(t, name)...)
	}
	pages := 0
	for i := 0; i < len(lines); i += 50 {
		path := fmt.Sprintf("/corpus/%d/", i/50)
		th, err := h.st.EnsureThread(t.Context(), comment.Thread{SiteID: blog.ID, Path: path, URL: blogOrigin + path,
			Title: lines[i], CreatedAt: h.clock()})
		if err != nil {
			t.Fatal(err)
		}
		var cs []comment.Comment
		for _, line := range lines[i:min(i+50, len(lines))] {
			cs = append(cs, comment.Comment{SiteID: blog.ID, ThreadID: th.ID, Author: line, Email: "x@example.com",
				Body: line, HTML: h.md.Render(line), Status: comment.StatusApproved, ReplyState: comment.ReplyOpen, CreatedAt: h.clock()})
		}
		if err := h.st.CreateComments(t.Context(), cs); err != nil {
			t.Fatal(err)
		}
		pages++
	}
	entries := 0
	for p := 0; p < pages; p++ {
		r, doc := h.feed("site=blog&url=" + url.QueryEscape(fmt.Sprintf("%s/corpus/%d/", blogOrigin, p)))
		if r.status != http.StatusOK {
			t.Fatalf("page %d: %d %s", p, r.status, r.body)
		}
		if contains(r.body, "x@example.com") {
			t.Errorf("page %d: the feed holds an email address", p)
		}
		for _, e := range doc.Entries {
			entries++
			if why := markuptest.Unsafe(e.Content.Body); why != "" {
				t.Errorf("page %d: entry %s content %q: %s", p, e.ID, e.Content.Body, why)
			}
		}
	}
	if entries != len(lines) {
		t.Errorf("read %d entries of %d", entries, len(lines))
	}
}
