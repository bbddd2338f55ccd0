// Package web is Parley's HTTP face: one echo route table, the handlers of
// the public API and the embed's assets, middleware, JSON request and
// response types, and the mapping of comment error codes to HTTP statuses.
// It imports comment, echo and the asset packages; never store.
package web

import (
	"compress/gzip"
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/ack"
	"github.com/parleyhq/parley/server/answer"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/followup"
	"github.com/parleyhq/parley/server/reader"
	"github.com/parleyhq/parley/server/staff"
)

// Config holds what a Server needs.
type Config struct {
	Service *comment.Service
	Staff   *staff.Service
	Log     *slog.Logger
	// Ping reports whether the database answers, for /healthz.
	Ping func(ctx context.Context) error
	// Embed holds embed.js, i18n/*.json and demo/; Themes the CSS files.
	Embed, Themes fs.FS
	// Admin holds the admin panel's templates and static files.
	Admin fs.FS
	// Demo serves the demo blog under /demo/.
	Demo bool
	// SecureCookies marks the session cookie Secure even when Parley sees
	// plain HTTP (behind a TLS-terminating proxy it does not trust).
	SecureCookies bool
	// TrustedProxies are the networks whose X-Forwarded-For is believed.
	TrustedProxies []*net.IPNet
	// CacheBytes bounds the thread cache; 64 MiB when zero.
	CacheBytes int
	// Limits are the public API's rate limits; zero rates mean none.
	Limits Limits
	// Now is the clock of the rate limits and of the panel's due times;
	// time.Now when nil.
	Now func() time.Time
	// MetricsToken, when set, is the bearer token /metrics wants.
	MetricsToken string
	// Publisher tells other replicas what changed; nil for a single
	// process. Their changes come in through Server.Receive.
	Publisher Publisher
	// Importer runs imports uploaded in the panel; nil: none.
	Importer Importer
	// Calendars gives each site's business time, for the acknowledgement
	// of a new comment; nil: no acknowledgements.
	Calendars Calendars
	// Crises lists the open crises for the inbox's banner; nil: none.
	Crises Crises
	// ToneCues explains a negative comment's tone score (the words and
	// rules behind it) in the inbox; nil: no explanation.
	ToneCues func(text string) []string
	// Answers keeps the sites' saved answers; nil: none.
	Answers *answer.Service
	// FollowUp sends private follow-ups; nil: none.
	FollowUp *followup.Service
	// Feeds reads the Atom feeds; nil: none.
	Feeds FeedSource
	// Readers takes readers' opt-ins to reply emails; nil when email is
	// not set up (the embed then offers none).
	Readers *reader.Service
}

// Server serves Parley over HTTP.
type Server struct {
	e       *echo.Echo
	svc     *comment.Service
	staff   *staff.Service
	log     *slog.Logger
	ping    func(ctx context.Context) error
	threads *threadCache
	gzips   *gzipPool
	assets  *assets
	pages   *pages
	limits  limiters
	demo    bool

	secureCookies bool
	metricsToken  string
	now           func() time.Time

	// hub feeds live updates to event streams; replica names this process
	// in change messages; publisher sends them to the others.
	hub       *hub
	replica   string
	publisher Publisher

	importer Importer
	imports  *importJobs

	calendars Calendars
	acks      *ack.Composer
	crises    Crises
	toneCues  func(text string) []string
	answers   *answer.Service
	followUp  *followup.Service
	feeds     FeedSource
	readers   *reader.Service
}

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 64 << 10

// NewServer builds the server and its routes.
func NewServer(cfg Config) (*Server, error) {
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = 64 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a, err := loadAssets(cfg.Embed, cfg.Themes, cfg.Admin)
	if err != nil {
		return nil, err
	}
	p, err := loadPages(cfg.Admin)
	if err != nil {
		return nil, err
	}
	s := &Server{e: echo.New(), svc: cfg.Service, staff: cfg.Staff, log: cfg.Log, ping: cfg.Ping,
		threads: newThreadCache(cfg.CacheBytes), gzips: newGzipPool(gzip.DefaultCompression), assets: a, pages: p,
		limits: newLimiters(cfg.Limits, cfg.Now), demo: cfg.Demo, secureCookies: cfg.SecureCookies,
		metricsToken: cfg.MetricsToken, now: cfg.Now, hub: newHub(), replica: newReplicaID(), publisher: cfg.Publisher,
		importer: cfg.Importer, imports: &importJobs{jobs: map[string]*importJob{}}, crises: cfg.Crises, toneCues: cfg.ToneCues,
		answers: cfg.Answers, followUp: cfg.FollowUp, feeds: cfg.Feeds, readers: cfg.Readers}
	s.calendars, s.acks = cfg.Calendars, ack.New()
	s.e.HideBanner, s.e.HidePort = true, true
	s.e.HTTPErrorHandler = s.handleError
	s.e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	s.routes()
	return s, nil
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

// ipExtractor believes X-Forwarded-For only from the trusted proxies: anyone
// else could put any address there.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
