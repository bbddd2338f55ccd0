package web

import (
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// FeedSource reads what the Atom feeds show (store.Store does).
type FeedSource interface {
	// FindThread returns the thread of a site's page path. NotFound.
	FindThread(ctx context.Context, siteID int64, path string) (comment.Thread, error)
	// FindComments returns one page of the comments f selects, each with
	// its thread.
	FindComments(ctx context.Context, f comment.Filter) ([]comment.Listed, int, error)
}

// FeedSize is how many comments, the newest, a feed holds.
const FeedSize = 50

// atomFeed is an Atom document (RFC 4287). Comments carry their author's
// name only: never an email address, website or client hash.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Author    atomAuthor  `xml:"author"`
	Published string      `xml:"published"`
	Updated   string      `xml:"updated"`
	Link      *atomLink   `xml:"link,omitempty"`
	Content   atomContent `xml:"content"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// feedKey names a feed in the thread cache: a thread's, or (path "") a
// site's.
func feedKey(siteID int64, path string) string { return "feed\x00" + threadKey(siteID, path) }

// handleFeed answers GET /api/v1/feed.atom?site=S[&url=U]: the newest
// shown comments of one page, or of the whole site, as Atom. Like threads,
// a feed is built once per change and answered with an ETag.
func (s *Server) handleFeed(c echo.Context) error {
	site, err := s.site(c)
	if err != nil {
		return err
	}
	if s.feeds == nil {
		return comment.Errorf(comment.NotFound, "Feeds are not available here.")
	}
	path, rawURL := "", c.QueryParam("url")
	if rawURL != "" {
		if path, _, err = comment.ThreadPath(rawURL); err != nil {
			return err
		}
	}
	ctx := context.WithoutCancel(c.Request().Context())
	key := feedKey(site.ID, path)
	entry, err := s.threads.load(key, func() (*cached, error) {
		body, err := s.buildFeed(ctx, site, path)
		if err != nil {
			return nil, err
		}
		gz, err := s.gzips.compress(body)
		if err != nil {
			return nil, err
		}
		return &cached{key: key, etag: etagOf(body), body: body, gz: gz}, nil
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return writeEncoded(c, entry.etag, entry.body, entry.gz, "application/atom+xml; charset=utf-8")
}

// buildFeed reads and encodes a feed. Its self link is relative and names
// the page by its stored address: one cached body serves every client, so
// nothing a client sends (Host, X-Forwarded-Proto, the url as typed) may
// go into it.
func (s *Server) buildFeed(ctx context.Context, site comment.Site, path string) ([]byte, error) {
	self := "/api/v1/feed.atom?site=" + url.QueryEscape(site.Name)
	f := comment.Filter{SiteIDs: []int64{site.ID}, Statuses: []comment.Status{comment.StatusApproved}, Limit: FeedSize}
	authority := feedAuthority(site, "")
	feed := atomFeed{ID: "tag:" + authority + ",2026:parley:" + site.Name, Generator: "Parley",
		Title: "Comments on " + cmp.Or(site.Title, site.Name), Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}}}
	updated := time.Time{}
	if path != "" {
		t, err := s.feeds.FindThread(ctx, site.ID, path)
		if comment.CodeOf(err) == comment.NotFound {
			return nil, comment.Errorf(comment.NotFound, "There are no comments on that page.")
		}
		if err != nil {
			return nil, err
		}
		f.ThreadID = t.ID
		feed.Links[0].Href += "&url=" + url.QueryEscape(cmp.Or(t.URL, t.Path))
		authority = feedAuthority(site, t.URL)
		feed.ID = "tag:" + authority + "," + t.CreatedAt.UTC().Format(time.DateOnly) + ":parley:" + site.Name + ":thread:" + strconv.FormatInt(t.ID, 10)
		feed.Title = "Comments on “" + cmp.Or(t.Title, t.Path) + "”"
		if t.URL != "" {
			feed.Links = append(feed.Links, atomLink{Rel: "alternate", Type: "text/html", Href: t.URL})
		}
		updated = t.CreatedAt
	}
	cs, _, err := s.feeds.FindComments(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, l := range cs {
		e := feedEntry(site, l)
		feed.Entries = append(feed.Entries, e)
		updated = latest(updated, l.CreatedAt, l.EditedAt)
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	body, err := xml.Marshal(feed)
	if err != nil {
		return nil, fmt.Errorf("web: encode feed: %w", err)
	}
	return append([]byte(xml.Header), body...), nil
}

// feedEntry is one comment of a feed: its sanitised HTML (stored so) and
// its author's name.
func feedEntry(site comment.Site, l comment.Listed) atomEntry {
	name, post := cmp.Or(l.Author, "Anonymous"), cmp.Or(l.Thread.Title, l.Thread.Path)
	e := atomEntry{
		ID: "tag:" + feedAuthority(site, l.Thread.URL) + "," + l.CreatedAt.UTC().Format(time.DateOnly) +
			":parley:" + site.Name + ":comment:" + strconv.FormatInt(l.ID, 10),
		Title: name + " on “" + post + "”", Author: atomAuthor{Name: name},
		Published: l.CreatedAt.UTC().Format(time.RFC3339),
		Updated:   latest(l.CreatedAt, l.EditedAt).UTC().Format(time.RFC3339),
		Content:   atomContent{Type: "html", Body: l.HTML},
	}
	if l.Thread.URL != "" {
		e.Link = &atomLink{Rel: "alternate", Type: "text/html", Href: l.Thread.URL + "#parley-c-" + strconv.FormatInt(l.ID, 10)}
	}
	if l.Official {
		e.Title = name + " (staff) on “" + post + "”"
	}
	return e
}

// feedAuthority is the domain a feed's tag: URIs are minted under: the
// page's host, else the site's first web origin, else the site name
// under .invalid.
func feedAuthority(site comment.Site, pageURL string) string {
	for _, raw := range append([]string{pageURL}, site.Origins...) {
		if u, err := url.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Hostname() != "" {
			return u.Hostname()
		}
	}
	return site.Name + ".invalid"
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}
