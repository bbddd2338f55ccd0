package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// threadJSON is the answer of GET /api/v1/threads.
type threadJSON struct {
	Thread   threadInfoJSON `json:"thread"`
	Comments []*commentJSON `json:"comments"`
	// ReplyEmails says whether readers may ask to be emailed replies.
	ReplyEmails bool `json:"notify_replies"`
}

type threadInfoJSON struct {
	URL   string `json:"url"`
	Path  string `json:"path"`
	Title string `json:"title"`
	Count int    `json:"count"`
}

// commentJSON is a comment as the public sees it: never its email, client
// hash or edit token.
type commentJSON struct {
	ID        int64          `json:"id"`
	ParentID  *int64         `json:"parent_id"`
	Author    string         `json:"author"`
	Website   string         `json:"website"`
	HTML      string         `json:"html"`
	CreatedAt time.Time      `json:"created_at"`
	EditedAt  *time.Time     `json:"edited_at"`
	Official  bool           `json:"official"`
	Status    comment.Status `json:"status"`
	Replies   []*commentJSON `json:"replies"`
}

func newCommentJSON(c comment.Comment) *commentJSON {
	j := &commentJSON{ID: c.ID, Author: c.Author, Website: c.Website, HTML: c.HTML,
		CreatedAt: c.CreatedAt.UTC(), Official: c.Official, Status: c.Status, Replies: []*commentJSON{}}
	if c.ParentID != 0 {
		j.ParentID = &c.ParentID
	}
	if !c.EditedAt.IsZero() {
		t := c.EditedAt.UTC()
		j.EditedAt = &t
	}
	return j
}

func newTreeJSON(nodes []*comment.Node) []*commentJSON {
	out := make([]*commentJSON, len(nodes))
	for i, n := range nodes {
		out[i] = newCommentJSON(n.Comment)
		out[i].Replies = newTreeJSON(n.Replies)
	}
	return out
}

// threadKey names a thread in the cache.
func threadKey(siteID int64, path string) string {
	return strconv.FormatInt(siteID, 10) + "\x00" + path
}

// handleThreadGet answers GET /api/v1/threads?site=S&url=U from the cache,
// reading and encoding the thread once per change.
func (s *Server) handleThreadGet(c echo.Context) error {
	site, err := s.site(c)
	if err != nil {
		return err
	}
	rawURL := c.QueryParam("url")
	path, _, err := comment.ThreadPath(rawURL)
	if err != nil {
		return err
	}
	key := threadKey(site.ID, path)
	// The rebuild may be shared with other readers: one of them hanging up
	// must not fail it for the rest.
	ctx := context.WithoutCancel(c.Request().Context())
	entry, err := s.threads.load(key, func() (*cached, error) {
		view, err := s.svc.Thread(ctx, site, rawURL)
		if err != nil {
			return nil, err
		}
		return s.encodeThread(key, view)
	})
	if err != nil {
		return err
	}
	h := c.Response().Header()
	// Readers must see a new comment at once: the browser may keep the
	// thread but must ask whether it changed.
	h.Set("Cache-Control", "no-cache")
	return writeEncoded(c, entry.etag, entry.body, entry.gz, echo.MIMEApplicationJSON)
}

func (s *Server) encodeThread(key string, v comment.ThreadView) (*cached, error) {
	t := v.Thread
	if t.URL == "" {
		t.URL = t.Path
	}
	body, err := json.Marshal(threadJSON{
		Thread:      threadInfoJSON{URL: t.URL, Path: t.Path, Title: t.Title, Count: v.Visible},
		Comments:    newTreeJSON(v.Roots),
		ReplyEmails: s.readers != nil,
	})
	if err != nil {
		return nil, fmt.Errorf("web: encode thread: %w", err)
	}
	gz, err := s.gzips.compress(body)
	if err != nil {
		return nil, err
	}
	return &cached{key: key, etag: etagOf(body), body: body, gz: gz}, nil
}

// gzipPool reuses compressors: a new one allocates about 800 KB. Threads
// use the default level, which costs half the CPU of the best level for
// 9% more bytes (docs/BENCHMARKS.md); assets, compressed once, use the best.
type gzipPool struct {
	level int
	pool  sync.Pool
}

func newGzipPool(level int) *gzipPool { return &gzipPool{level: level} }

func (p *gzipPool) compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := p.pool.Get().(*gzip.Writer)
	if zw == nil {
		var err error
		if zw, err = gzip.NewWriterLevel(&buf, p.level); err != nil {
			return nil, fmt.Errorf("web: gzip: %w", err)
		}
	} else {
		zw.Reset(&buf)
	}
	defer p.pool.Put(zw)
	if _, err := zw.Write(b); err != nil {
		return nil, fmt.Errorf("web: gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("web: gzip: %w", err)
	}
	return buf.Bytes(), nil
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// writeEncoded writes a body kept in both plain and gzipped form, answering
// If-None-Match with 304. The ETag names the content; the gzipped variant
// gets its own (RFC 9110 asks that different encodings differ).
func writeEncoded(c echo.Context, etag string, body, gz []byte, contentType string) error {
	h := c.Response().Header()
	h.Add("Vary", "Accept-Encoding")
	useGzip := gz != nil && acceptsGzip(c.Request())
	if useGzip {
		etag = etag[:len(etag)-1] + `-gz"`
	}
	h.Set("ETag", etag)
	if matchesETag(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	h.Set(echo.HeaderContentType, contentType)
	if useGzip {
		h.Set("Content-Encoding", "gzip")
		body = gz
	}
	// An explicit length spares a large body the chunked encoding.
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if c.Request().Method == http.MethodHead {
		return c.NoContent(http.StatusOK)
	}
	return c.Blob(http.StatusOK, contentType, body)
}

// acceptsGzip reports whether the client takes gzip with a non-zero q.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(params), "=")
		if !ok || strings.TrimSpace(k) != "q" {
			return true
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q > 0
	}
	return false
}

func matchesETag(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
