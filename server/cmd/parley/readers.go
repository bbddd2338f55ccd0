package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/config"
	"github.com/parleyhq/parley/server/reader"
	"github.com/parleyhq/parley/server/store"
)

// newReaders returns the service of readers' reply emails, or nil when no
// mail server is set up: the embed then offers none.
func newReaders(ctx context.Context, cfg config.Config, st *store.Store) (*reader.Service, error) {
	if cfg.SMTPURL == "" {
		return nil, nil
	}
	key, err := st.Secret(ctx, "reader_token")
	if err != nil {
		return nil, err
	}
	return reader.NewService(reader.Config{Store: st, Key: key}), nil
}

// startReaderMail starts the worker that mails readers the replies they
// follow, next to the alert worker (every replica may run one: they share
// the work through leases).
func startReaderMail(ctx context.Context, wg *sync.WaitGroup, cfg config.Config, st *store.Store, svc *comment.Service,
	readers *reader.Service, mailer reader.Mailer, log *slog.Logger) {
	if readers == nil || mailer == nil || !cfg.Alerts {
		return
	}
	w := reader.NewWorker(reader.WorkerConfig{Store: st, Service: readers, Sites: svc, Mailer: mailer,
		Log: log.With("component", "reader_mail"), PublicURL: cfg.PublicURL, From: cfg.MailFrom, Interval: cfg.AlertInterval})
	wg.Go(func() { _ = w.Run(ctx) })
}
