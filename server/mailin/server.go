package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
)

const (
	// DefaultMaxBytes is the largest message accepted when Config.MaxBytes
	// is zero. Replies are short; quoted alerts and signatures make up most
	// of a message.
	DefaultMaxBytes = 1 << 20
	// DefaultTimeout is the read and write timeout when Config leaves them
	// zero.
	DefaultTimeout = 60 * time.Second
)

// handlerTimeout bounds each Handler call, so that a stuck database cannot
// hold a connection open: the sending server retries after a 451.
const handlerTimeout = 30 * time.Second

// Config is the set-up of the listener.
type Config struct {
	Addr         string        // listen address of Run, such as ":2525"
	Domain       string        // the reply domain: only reply+TOKEN@Domain is accepted (the domain case-insensitively)
	MaxBytes     int64         // largest message accepted; DefaultMaxBytes when zero
	TLSConfig    *tls.Config   // when set, STARTTLS is offered
	ReadTimeout  time.Duration // DefaultTimeout when zero
	WriteTimeout time.Duration // DefaultTimeout when zero
}

// Server is the SMTP listener. It accepts only replies to alerts and never
// relays; it offers no AUTH, since the reply token is what authorises a mail.
type Server struct {
	cfg  Config
	h    Handler
	log  *slog.Logger
	smtp *smtp.Server
	// base is the parent of every Handler call's context. Keeping a
	// context in a struct is the exception here: go-smtp's Session methods
	// take none, so this is how Close reaches calls in flight.
	base context.Context
	stop context.CancelFunc
}

// New returns a Server that passes accepted replies to h and logs one line
// per mail to log. It does not listen yet: call Run or Serve.
func New(cfg Config, h Handler, log *slog.Logger) *Server {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultTimeout
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultTimeout
	}
	cfg.Domain = strings.ToLower(strings.TrimSuffix(cfg.Domain, "."))
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, h: h, log: log}
	s.base, s.stop = context.WithCancel(context.Background())

	ss := smtp.NewServer(smtp.BackendFunc(s.newSession))
	ss.Domain = cfg.Domain
	ss.MaxMessageBytes = cfg.MaxBytes
	ss.TLSConfig = cfg.TLSConfig
	ss.AllowInsecureAuth = false
	ss.ReadTimeout = cfg.ReadTimeout
	ss.WriteTimeout = cfg.WriteTimeout
	// go-smtp reports connection errors (resets, TLS handshakes) here; they
	// carry remote addresses, never mail addresses.
	ss.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	s.smtp = ss
	return s
}

// Serve accepts connections on l until Close. It returns nil after Close.
func (s *Server) Serve(l net.Listener) error {
	// If Close ran before go-smtp knew of l, it could not close it.
	stop := context.AfterFunc(s.base, func() { _ = l.Close() })
	defer stop()
	err := s.smtp.Serve(l)
	if s.base.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mailin: serve: %w", err)
	}
	return nil
}

// Run listens on the configured Addr and serves until ctx is done, then
// closes the listener and every connection. A sender cut off mid-message
// gets no 250 and so tries again later.
func (s *Server) Run(ctx context.Context) error {
	if s.cfg.Addr == "" {
		return errors.New("mailin: no listen address")
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		if ctx.Err() != nil {
			return nil // shut down before it started
		}
		return fmt.Errorf("mailin: listen: %w", err)
	}
	s.log.Info("reply-by-email listener started", "addr", l.Addr().String(), "starttls", s.cfg.TLSConfig != nil)
	stop := context.AfterFunc(ctx, func() { _ = s.Close() })
	defer stop()
	return s.Serve(l)
}

// Close stops the listeners, closes every connection and cancels the
// Handler calls in flight. Closing twice is not an error.
func (s *Server) Close() error {
	s.stop()
	err := s.smtp.Close()
	if err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("mailin: close: %w", err)
	}
	return nil
}

// callContext returns the context of one Handler call.
func (s *Server) callContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.base, handlerTimeout)
}
