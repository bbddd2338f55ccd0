package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// Publisher tells the other replicas what changed (store.Store does, on
// PostgreSQL). Their answers come back through Server.Receive.
type Publisher interface {
	PublishChange(ctx context.Context, msg string) error
}

// A change message is "<replica> t <site ID> <path>" (a thread changed),
// "<replica> s" (site settings changed) or "<replica> a" (anything may
// have: an import). The replica ID lets a server skip
// its own messages, which it has applied already.

// threadChanged applies a change of a thread here (cache, live readers) and
// tells the other replicas.
func (s *Server) threadChanged(ctx context.Context, siteID int64, path string) {
	s.applyThread(siteID, path)
	s.publish(ctx, fmt.Sprintf("%s t %d %s", s.replica, siteID, path))
}

// sitesChanged tells the other replicas to reload the sites.
func (s *Server) sitesChanged(ctx context.Context) {
	s.publish(ctx, s.replica+" s")
}

func (s *Server) publish(ctx context.Context, msg string) {
	if s.publisher == nil {
		return
	}
	// The write is done and answered either way; a replica that misses
	// this serves its cached copy until its next change or resync.
	if err := s.publisher.PublishChange(context.WithoutCancel(ctx), msg); err != nil {
		s.log.Warn("telling other replicas of a change", "err", err)
	}
}

func (s *Server) applyThread(siteID int64, path string) {
	s.threads.invalidate(threadKey(siteID, path))
	s.threads.invalidate(feedKey(siteID, path))
	s.threads.invalidate(feedKey(siteID, ""))
	s.hub.send(threadKey(siteID, path))
	s.hub.send(siteKey(siteID))
}

// Receive applies a change another replica published.
func (s *Server) Receive(msg string) {
	origin, rest, _ := strings.Cut(msg, " ")
	if origin == s.replica {
		return
	}
	kind, rest, _ := strings.Cut(rest, " ")
	switch kind {
	case "t":
		id, path, ok := strings.Cut(rest, " ")
		siteID, err := strconv.ParseInt(id, 10, 64)
		if ok && err == nil {
			s.applyThread(siteID, path)
		}
	case "s":
		if err := s.svc.LoadSites(context.Background()); err != nil {
			s.log.Error("reloading sites after a change elsewhere", "err", err)
		}
	case "a": // anything may have changed (an import)
		s.Resync()
	}
}

// Resync forgets everything cached and tells every live reader to look
// again: after changes of other replicas may have been missed.
func (s *Server) Resync() {
	if err := s.svc.LoadSites(context.Background()); err != nil {
		s.log.Error("reloading sites", "err", err)
	}
	s.threads.clear()
	s.hub.sendAll()
}

// Close ends the live-update streams, so that a graceful shutdown does not
// wait for them.
func (s *Server) Close() { s.hub.close() }

func siteKey(siteID int64) string { return "site\x00" + strconv.FormatInt(siteID, 10) }

func newReplicaID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand does not fail
	return hex.EncodeToString(b)
}

// hub hands change notices to the open event streams. A stream that falls
// behind drops notices (one pending notice says all it needs: look again).
type hub struct {
	mu     sync.Mutex
	subs   map[string]map[chan struct{}]struct{}
	count  int
	closed chan struct{}
}

// Limits on open event streams: one per reader tab, so a generous bound
// that still keeps a flood from exhausting memory or file descriptors.
const (
	maxStreams       = 10000
	streamKeepAlive  = 25 * time.Second
	streamMaxRuntime = time.Hour // then the browser reconnects, through any proxy
)

func newHub() *hub {
	return &hub{subs: map[string]map[chan struct{}]struct{}{}, closed: make(chan struct{})}
}

func (h *hub) subscribe(keys ...string) (chan struct{}, func(), bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.count >= maxStreams {
		return nil, nil, false
	}
	ch := make(chan struct{}, 1)
	for _, k := range keys {
		if h.subs[k] == nil {
			h.subs[k] = map[chan struct{}]struct{}{}
		}
		h.subs[k][ch] = struct{}{}
	}
	h.count++
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, k := range keys {
			delete(h.subs[k], ch)
			if len(h.subs[k]) == 0 {
				delete(h.subs, k)
			}
		}
		h.count--
	}, true
}

func (h *hub) send(key string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[key] {
		notify(ch)
	}
}

func (h *hub) sendAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, subs := range h.subs {
		for ch := range subs {
			notify(ch)
		}
	}
}

func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default: // a notice is already pending
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.closed:
	default:
		close(h.closed)
	}
}

// stream writes server-sent events to c until the client goes, the server
// shuts down or an hour passes: event (named name) on each notice, a
// comment line to keep proxies from closing an idle connection.
func (s *Server) stream(c echo.Context, name string, keys ...string) error {
	ch, unsubscribe, ok := s.hub.subscribe(keys...)
	if !ok {
		return comment.Errorf(comment.RateLimited, "Too many live connections; the page updates when reloaded.")
	}
	defer unsubscribe()
	w := c.Response()
	rc := http.NewResponseController(w)
	// The server's read and write timeouts are for ordinary requests; a
	// stream lives longer.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		return err
	}
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	// retry: how long the browser waits before reconnecting.
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil {
		return nil
	}
	if err := rc.Flush(); err != nil {
		return nil
	}
	ping := time.NewTicker(streamKeepAlive)
	defer ping.Stop()
	end := time.After(streamMaxRuntime)
	for {
		var out string
		select {
		case <-c.Request().Context().Done():
			return nil
		case <-s.hub.closed:
			return nil
		case <-end:
			return nil
		case <-ping.C:
			out = ": ping\n\n"
		case <-ch:
			out = "event: " + name + "\ndata: {}\n\n"
		}
		if _, err := fmt.Fprint(w, out); err != nil {
			return nil
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
	}
}

// handleThreadEvents answers GET /api/v1/events?site=S&url=U: a stream that
// says "changed" whenever the thread changes, on any replica. The embed
// then reads the thread again (a 304 when nothing it shows changed).
func (s *Server) handleThreadEvents(c echo.Context) error {
	site, err := s.site(c)
	if err != nil {
		return err
	}
	path, _, err := comment.ThreadPath(c.QueryParam("url"))
	if err != nil {
		return err
	}
	return s.stream(c, "changed", threadKey(site.ID, path))
}

// handleAdminEvents answers GET /api/v1/admin/events: a stream that says
// "activity" whenever a comment of the user's sites changes.
func (s *Server) handleAdminEvents(c echo.Context) error {
	a := actor(c)
	var keys []string
	for _, site := range s.svc.Sites() {
		if a.CanSee(site.ID) {
			keys = append(keys, siteKey(site.ID))
		}
	}
	return s.stream(c, "activity", keys...)
}
