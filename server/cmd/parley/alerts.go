package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/parleyhq/parley/server/alert"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/config"
	"github.com/parleyhq/parley/server/mailin"
	"github.com/parleyhq/parley/server/reader"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/web"
)

// startAlerts starts the alert worker and, when set up, the reply-by-email
// listener. The returned wait blocks until both have stopped after ctx is
// done.
func startAlerts(ctx context.Context, cfg config.Config, st *store.Store, svc *comment.Service, schedule *alert.Schedule,
	crises alert.Crises, srv *web.Server, readers *reader.Service, log *slog.Logger) (wait func(), err error) {
	key, err := st.Secret(ctx, "reply_token")
	if err != nil {
		return nil, err
	}
	mailer, err := newMailer(cfg)
	if err != nil {
		return nil, err
	}
	if mailer == nil && cfg.Alerts {
		log.Info("no -smtp-url: alerts go to webhooks only")
	}
	var wg sync.WaitGroup
	if cfg.Alerts {
		var am alert.Mailer
		if mailer != nil {
			am = mailer
		}
		w := alert.New(alert.Config{Store: st, Sites: svc, Schedule: schedule, Mailer: am, Crises: crises, Log: log.With("component", "alerts"),
			PublicURL: cfg.PublicURL, From: cfg.MailFrom, ReplyDomain: cfg.MailDomain, ReplyKey: key, Interval: cfg.AlertInterval})
		wg.Go(func() { _ = w.Run(ctx) })
	}
	if mailer != nil {
		startReaderMail(ctx, &wg, cfg, st, svc, readers, mailer, log)
	}
	if cfg.MailListen != "" {
		h := alert.NewReplies(st, svc, key)
		h.Posted = func(_ comment.Comment, t comment.Thread) { srv.ThreadChanged(t) }
		ml := mailin.New(mailin.Config{Addr: cfg.MailListen, Domain: cfg.MailDomain}, h, log.With("component", "mailin"))
		wg.Go(func() {
			if err := ml.Run(ctx); err != nil {
				log.Error("reply-by-email listener", "err", err)
			}
		})
	}
	return wg.Wait, nil
}
