package notify_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/notify"
	"github.com/parleyhq/parley/server/notify/smtptest"
)

// mailerFor returns a Mailer set up for s in the given TLS mode.
func mailerFor(s *smtptest.Server, mode, user, pass string) *notify.Mailer {
	return notify.NewMailer(notify.SMTPConfig{Host: s.Host(), Port: s.Port(), Username: user, Password: pass, TLS: mode,
		RootCAs: s.CertPool(), HelloName: "parley.test", Timeout: 5 * time.Second})
}

func TestMailerSend(t *testing.T) {
	tests := []struct {
		name       string
		opts       smtptest.Options
		mode       string
		user, pass string
	}{
		{name: "no tls", opts: smtptest.Options{}, mode: notify.TLSNone},
		{name: "no tls, auth to localhost", opts: smtptest.Options{Username: "parley", Password: "pw"}, mode: notify.TLSNone,
			user: "parley", pass: "pw"},
		{name: "starttls", opts: smtptest.Options{StartTLS: true}, mode: notify.TLSStartTLS},
		{name: "starttls auth", opts: smtptest.Options{StartTLS: true, Username: "parley", Password: "p@ss wörd"},
			mode: notify.TLSStartTLS, user: "parley", pass: "p@ss wörd"},
		{name: "default mode is starttls", opts: smtptest.Options{StartTLS: true, Username: "parley", Password: "pw"},
			user: "parley", pass: "pw"},
		{name: "implicit tls", opts: smtptest.Options{ImplicitTLS: true}, mode: notify.TLSImplicit},
		{name: "implicit tls auth", opts: smtptest.Options{ImplicitTLS: true, Username: "parley", Password: "pw"},
			mode: notify.TLSImplicit, user: "parley", pass: "pw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.Start(t, tt.opts)
			msg := alertMessage()
			if err := mailerFor(s, tt.mode, tt.user, tt.pass).Send(t.Context(), msg); err != nil {
				t.Fatal(err)
			}
			got := s.Wait(t, 1, 5*time.Second)[0]
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			if got.From != "alerts@parley.example" || strings.Join(got.To, ",") != "jana@acme.example" {
				t.Errorf("envelope %q → %q", got.From, got.To)
			}
			if got.Subject != msg.Subject {
				t.Errorf("subject %q, want %q", got.Subject, msg.Subject)
			}
			if got.Text != msg.Text || got.HTML != msg.HTML {
				t.Errorf("text %q, html %q; want %q, %q", got.Text, got.HTML, msg.Text, msg.HTML)
			}
			for k, v := range map[string]string{"Message-Id": msg.MessageID, "X-Parley-Alert": "new_comment",
				"Reply-To": "<reply+abc@reply.parley.example>"} {
				if got.Header.Get(k) != v {
					t.Errorf("%s: %q, want %q", k, got.Header.Get(k), v)
				}
			}
		})
	}
}

func TestMailerSeveralRecipientsAndDots(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	msg := notify.Message{From: "a@x.example", To: "b@y.example, Čedomir <c@y.example>", Subject: "Zażółć",
		Text: ".\n..leading dots\n.\nend"}
	if err := mailerFor(s, notify.TLSNone, "", "").Send(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	got := s.Wait(t, 1, 5*time.Second)[0]
	if strings.Join(got.To, ",") != "b@y.example,c@y.example" {
		t.Errorf("recipients %q", got.To)
	}
	if got.Text != msg.Text+"\n" || got.HTML != "" {
		t.Errorf("text %q, html %q; want %q", got.Text, got.HTML, msg.Text+"\n")
	}
}

func TestMailerErrors(t *testing.T) {
	tests := []struct {
		name          string
		opts          smtptest.Options
		mode          string
		user, pass    string
		setup         func(*smtptest.Server)
		noRootCAs     bool
		wantPermanent bool
	}{
		{name: "451 refusal", setup: func(s *smtptest.Server) { s.FailNext(1, 451) }, mode: notify.TLSNone},
		{name: "550 refusal", setup: func(s *smtptest.Server) { s.FailNext(1, 550) }, mode: notify.TLSNone,
			wantPermanent: true},
		{name: "stopped server", setup: func(s *smtptest.Server) { s.Stop() }, mode: notify.TLSNone},
		{name: "wrong password", opts: smtptest.Options{StartTLS: true, Username: "parley", Password: "pw"},
			user: "parley", pass: "nope", wantPermanent: true},
		{name: "no starttls offered", opts: smtptest.Options{}, mode: notify.TLSStartTLS, wantPermanent: true},
		{name: "no auth offered", opts: smtptest.Options{StartTLS: true}, user: "parley", pass: "pw", wantPermanent: true},
		{name: "untrusted certificate", opts: smtptest.Options{StartTLS: true}, noRootCAs: true},
		{name: "tls to a plain server", opts: smtptest.Options{}, mode: notify.TLSImplicit},
		{name: "bad tls mode", mode: "ssl", wantPermanent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.Start(t, tt.opts)
			if tt.setup != nil {
				tt.setup(s)
			}
			m := mailerFor(s, tt.mode, tt.user, tt.pass)
			if tt.noRootCAs {
				m = notify.NewMailer(notify.SMTPConfig{Host: s.Host(), Port: s.Port(), Timeout: 5 * time.Second})
			}
			err := m.Send(t.Context(), alertMessage())
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if notify.Permanent(err) != tt.wantPermanent {
				t.Errorf("Permanent(%v) = %t, want %t", err, !tt.wantPermanent, tt.wantPermanent)
			}
			if strings.Contains(err.Error(), "jana@") || (tt.pass != "" && strings.Contains(err.Error(), tt.pass)) {
				t.Errorf("error %q names the recipient or the password", err)
			}
			if n := len(s.Messages()); n != 0 {
				t.Errorf("%d messages delivered", n)
			}
		})
	}
}

func TestMailerRecovers(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	m := mailerFor(s, notify.TLSNone, "", "")
	s.Stop()
	if err := m.Send(t.Context(), alertMessage()); err == nil || notify.Permanent(err) {
		t.Fatalf("Send to a stopped server: %v, want a temporary error", err)
	}
	s.Restart()
	s.FailNext(2, 451)
	var errs int
	for range 3 {
		if err := m.Send(t.Context(), alertMessage()); err != nil {
			if notify.Permanent(err) {
				t.Fatalf("451: %v is permanent", err)
			}
			errs++
		}
	}
	if errs != 2 || len(s.Messages()) != 1 {
		t.Errorf("%d errors, %d messages; want 2 and 1", errs, len(s.Messages()))
	}
}

func TestMailerHeaderInjection(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	msg := alertMessage()
	msg.Subject = "Hello\r\nBcc: victim@example.com"
	err := mailerFor(s, notify.TLSNone, "", "").Send(t.Context(), msg)
	if !errors.Is(err, notify.ErrInvalidMessage) || !notify.Permanent(err) {
		t.Fatalf("Send: %v, want a permanent ErrInvalidMessage", err)
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}

// silentServer accepts connections and never says a word, like a server
// that hangs. It returns its port.
func silentServer(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().(*net.TCPAddr).Port
}

func TestMailerContext(t *testing.T) {
	port := silentServer(t)
	cfg := notify.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: notify.TLSNone, Timeout: 10 * time.Second}
	tests := []struct {
		name    string
		cfg     notify.SMTPConfig
		ctx     func(context.Context) (context.Context, context.CancelFunc)
		wantErr error
	}{
		{name: "already cancelled", cfg: cfg, wantErr: context.Canceled,
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(ctx)
				cancel()
				return ctx, cancel
			}},
		{name: "cancelled while waiting for the greeting", cfg: cfg, wantErr: context.Canceled,
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(ctx)
				time.AfterFunc(100*time.Millisecond, cancel)
				return ctx, cancel
			}},
		{name: "ctx deadline", cfg: cfg, wantErr: context.DeadlineExceeded,
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) {
				return context.WithTimeout(ctx, 100*time.Millisecond)
			}},
		{name: "config timeout", wantErr: context.DeadlineExceeded,
			cfg: notify.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: notify.TLSNone, Timeout: 100 * time.Millisecond},
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }},
		{name: "implicit tls handshake", wantErr: context.DeadlineExceeded,
			cfg: notify.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: notify.TLSImplicit, Timeout: 100 * time.Millisecond},
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx(t.Context())
			defer cancel()
			start := time.Now()
			err := notify.NewMailer(tt.cfg).Send(ctx, alertMessage())
			if !errors.Is(err, tt.wantErr) || notify.Permanent(err) {
				t.Errorf("Send: %v, want a temporary %v", err, tt.wantErr)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Send took %s", d)
			}
		})
	}
}
