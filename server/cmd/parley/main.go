// Command parley is the comment server. main loads the configuration, builds
// the logger, opens the store, wires the service and the web server, serves,
// and shuts down cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/parleyhq/parley/admin"
	parleyembed "github.com/parleyhq/parley/embed"
	"github.com/parleyhq/parley/server/akismet"
	"github.com/parleyhq/parley/server/alert"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/config"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/spam"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/tone"
	"github.com/parleyhq/parley/server/web"
	"github.com/parleyhq/parley/themes"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "user" {
		err = runUser(ctx, os.Args[2:], os.Getenv, os.Stdin, os.Stdout)
	} else if len(os.Args) > 1 && isTransfer(os.Args[1]) {
		err = runTransfer(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	} else {
		err = run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "parley:", err)
		os.Exit(1)
	}
}

// run is the whole program; ready, when not nil, receives the address the
// server listens on. It returns when ctx is done and the server has stopped.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(addr string)) error {
	cfg, err := config.Load(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "Usage: parley [flags]\n\n%s", config.Usage())
		return nil
	}
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg, stderr)

	st, err := store.Open(ctx, cfg.DB, store.Options{Log: log})
	if err != nil {
		return err
	}
	defer st.Close()
	key, err := st.Secret(ctx, "client_hash")
	if err != nil {
		return err
	}
	md, schedule := markup.New(), alert.NewSchedule()
	svc := comment.NewService(comment.Config{Store: st, Renderer: md, ClientKey: key, EditWindow: cfg.EditWindow,
		Filters: spamFilters(cfg), Schedule: schedule, Scorer: toneScorer{}, NegativeAt: tone.Threshold})
	crises := newCrises(st, log)
	staffSvc := staff.NewService(staff.Config{Store: st, ClientHash: svc.ClientHash})
	if err := saveSites(ctx, svc, cfg); err != nil {
		return err
	}
	if len(svc.Sites()) == 0 {
		log.Warn("no sites configured: add one with -site NAME=ORIGIN, or try -demo")
	}

	answers, followUp, err := newStaffTools(cfg, st, svc, log)
	if err != nil {
		return err
	}
	readers, err := newReaders(ctx, cfg, st)
	if err != nil {
		return err
	}
	srv, err := web.NewServer(web.Config{Answers: answers, FollowUp: followUp, Feeds: st, Readers: readers, Service: svc, Staff: staffSvc, Log: log, Ping: st.Ping,
		Embed: parleyembed.FS, Themes: themes.FS, Admin: admin.FS, Demo: cfg.Demo,
		TrustedProxies: cfg.TrustedProxies, SecureCookies: cfg.SecureCookies, CacheBytes: cfg.CacheMB << 20,
		Limits:       web.Limits{Post: web.Rate(cfg.RatePost), Site: web.Rate(cfg.RateSite), Edit: web.Rate(cfg.RateEdit)},
		MetricsToken: cfg.MetricsToken, Publisher: st, Importer: panelImporter{st: st, md: md, schedule: schedule},
		Calendars: schedule, Crises: crises, ToneCues: toneCues})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if cfg.Demo {
		if err := setUpDemo(ctx, svc, staffSvc, getenv, displayAddr(ln.Addr()), stdout); err != nil {
			ln.Close()
			return err
		}
		if err := seedDemoHistory(ctx, st, svc, staffSvc, time.Now()); err != nil {
			ln.Close()
			return fmt.Errorf("demo history: %w", err)
		}
	}
	// Statistics go stale as comments pile up; refresh them every 10 minutes.
	go st.Run(ctx, 10*time.Minute, log)
	// Replicas on one PostgreSQL tell each other what changed, for their
	// caches and live readers. Event streams end at shutdown, so that it
	// does not wait for them.
	go st.ListenChanges(ctx, srv.Receive, srv.Resync, log)
	context.AfterFunc(ctx, srv.Close)
	workCtx, stopWork := context.WithCancel(ctx)
	wait, err := startAlerts(workCtx, cfg, st, svc, schedule, crises, srv, readers, log)
	if err != nil {
		stopWork()
		ln.Close()
		return err
	}
	// Stop the worker after the last request, before the store closes.
	defer wait()
	defer stopWork()
	// Starting up (migrations, assets, the spam model) leaves garbage that
	// an idle server would keep mapped until the next GC cycle: return it
	// now, once.
	debug.FreeOSMemory()
	return serve(ctx, ln, srv, log, ready)
}

// serve serves on ln until ctx is done, then lets requests in flight
// finish (for up to 10 s) so that every comment acknowledged with a 201 is
// in the database before the store closes.
func serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, ready func(string)) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// saveSites stores the sites of the configuration (and the demo site), then
// loads every site into the service.
func saveSites(ctx context.Context, svc *comment.Service, cfg config.Config) error {
	sites := cfg.Sites
	if cfg.Demo {
		sites = append(sites, config.Site{Name: demoSite, Title: "Acme demo blog", Origins: []string{comment.SelfOrigin}})
	}
	for _, s := range sites {
		_, err := svc.SaveSite(ctx, comment.Site{Name: s.Name, Title: s.Title, Origins: s.Origins, EditWindow: s.EditWindow})
		if err != nil {
			return fmt.Errorf("site %s: %w", s.Name, err)
		}
	}
	return svc.LoadSites(ctx)
}

// spamFilters are the spam checks the configuration asks for.
func spamFilters(cfg config.Config) []comment.SpamFilter {
	var fs []comment.SpamFilter
	if cfg.SpamScore {
		fs = append(fs, localScore{spam.New()})
	}
	if cfg.AkismetURL != "" {
		fs = append(fs, akismet.New(cfg.AkismetURL, cfg.AkismetKey, 5*time.Second))
	}
	return fs
}
