package main

import (
	"fmt"
	"log/slog"

	"github.com/parleyhq/parley/server/answer"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/config"
	"github.com/parleyhq/parley/server/followup"
	"github.com/parleyhq/parley/server/notify"
	"github.com/parleyhq/parley/server/store"
)

// newMailer returns the mailer -smtp-url sets up; nil when it is empty.
func newMailer(cfg config.Config) (*notify.Mailer, error) {
	if cfg.SMTPURL == "" {
		return nil, nil
	}
	sc, err := notify.ParseSMTPURL(cfg.SMTPURL)
	if err != nil {
		return nil, fmt.Errorf("-smtp-url: %w", err)
	}
	return notify.NewMailer(sc), nil
}

// newStaffTools builds the saved answers and the private follow-up; the
// follow-up is off (and says so in the panel) without a mail server.
func newStaffTools(cfg config.Config, st *store.Store, svc *comment.Service, log *slog.Logger) (*answer.Service, *followup.Service, error) {
	m, err := newMailer(cfg)
	if err != nil {
		return nil, nil, err
	}
	fc := followup.Config{Replies: svc, From: cfg.MailFrom, Log: log.With("component", "followup")}
	if m != nil {
		fc.Mailer = m
	}
	return answer.New(st, svc, nil), followup.New(fc), nil
}
