package smtptest_test

import (
	"crypto/tls"
	"errors"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/notify/smtptest"
)

const plainMessage = "From: a@example.com\r\nTo: b@example.com\r\nSubject: Hello\r\n\r\nHi there.\r\n"

// send delivers one message with net/smtp, over whatever TLS and AUTH opts
// call for.
func send(tb testing.TB, s *smtptest.Server, opts smtptest.Options, user, pass string) error {
	tb.Helper()
	var conn net.Conn
	var err error
	if opts.ImplicitTLS {
		conn, err = tls.Dial("tcp", s.Addr(), &tls.Config{RootCAs: s.CertPool(), ServerName: s.Host()})
	} else {
		conn, err = net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	}
	if err != nil {
		return err
	}
	c, err := smtp.NewClient(conn, s.Host())
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if opts.StartTLS {
		if err := c.StartTLS(&tls.Config{RootCAs: s.CertPool(), ServerName: s.Host()}); err != nil {
			return err
		}
	}
	if user != "" {
		if err := c.Auth(smtp.PlainAuth("", user, pass, s.Host())); err != nil {
			return err
		}
	}
	if err := c.Mail("a@example.com"); err != nil {
		return err
	}
	if err := c.Rcpt("b@example.com"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(plainMessage)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func code(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

func TestModes(t *testing.T) {
	tests := []struct {
		name       string
		opts       smtptest.Options
		user, pass string
		wantCode   int // 0: delivered
	}{
		{name: "plain", opts: smtptest.Options{}},
		{name: "starttls", opts: smtptest.Options{StartTLS: true}},
		{name: "implicit tls", opts: smtptest.Options{ImplicitTLS: true}},
		{name: "starttls auth", opts: smtptest.Options{StartTLS: true, Username: "u", Password: "p"}, user: "u", pass: "p"},
		{name: "implicit tls auth", opts: smtptest.Options{ImplicitTLS: true, Username: "u", Password: "p"}, user: "u", pass: "p"},
		{name: "plain auth", opts: smtptest.Options{Username: "u", Password: "p"}, user: "u", pass: "p"},
		{name: "wrong password", opts: smtptest.Options{StartTLS: true, Username: "u", Password: "p"}, user: "u", pass: "x",
			wantCode: 535},
		{name: "no auth", opts: smtptest.Options{StartTLS: true, Username: "u", Password: "p"}, wantCode: 502},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.Start(t, tt.opts)
			err := send(t, s, tt.opts, tt.user, tt.pass)
			if got := code(err); got != tt.wantCode || (tt.wantCode == 0 && err != nil) {
				t.Fatalf("send: %v (code %d), want code %d", err, got, tt.wantCode)
			}
			if tt.wantCode != 0 {
				if n := len(s.Messages()); n != 0 {
					t.Errorf("%d messages delivered, want none", n)
				}
				return
			}
			m := s.Wait(t, 1, 5*time.Second)[0]
			if m.From != "a@example.com" || len(m.To) != 1 || m.To[0] != "b@example.com" {
				t.Errorf("envelope %q → %q", m.From, m.To)
			}
			if m.Subject != "Hello" || m.Text != "Hi there.\n" || m.Err != nil {
				t.Errorf("subject %q, text %q, err %v", m.Subject, m.Text, m.Err)
			}
		})
	}
}

func TestCertPool(t *testing.T) {
	if p := smtptest.Start(t, smtptest.Options{}).CertPool(); p != nil {
		t.Errorf("plain server has a cert pool")
	}
	s := smtptest.Start(t, smtptest.Options{ImplicitTLS: true})
	_, err := tls.Dial("tcp", s.Addr(), &tls.Config{ServerName: s.Host()}) // system roots
	if err == nil {
		t.Fatalf("self-signed certificate trusted by the system roots")
	}
	for _, name := range []string{"127.0.0.1", "localhost"} {
		conn, err := tls.Dial("tcp", s.Addr(), &tls.Config{ServerName: name, RootCAs: s.CertPool()})
		if err != nil {
			t.Fatalf("dial as %s: %v", name, err)
		}
		conn.Close()
	}
}

func TestFailNext(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	s.FailNext(2, 451)
	for i, want := range []int{451, 451, 0} {
		if err := send(t, s, smtptest.Options{}, "", ""); code(err) != want || (want == 0 && err != nil) {
			t.Errorf("send %d: %v, want code %d", i, err, want)
		}
	}
	s.FailNext(1, 550)
	if err := send(t, s, smtptest.Options{}, "", ""); code(err) != 550 {
		t.Errorf("send: %v, want 550", err)
	}
	if n := len(s.Messages()); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

func TestStopRestart(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	addr := s.Addr()
	// A connection open across Stop is cut.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c, err := smtp.NewClient(conn, s.Host())
	if err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if err := c.Mail("a@example.com"); err == nil {
		t.Errorf("MAIL on a connection open across Stop succeeded")
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Fatalf("dial after Stop succeeded")
	}
	s.Stop() // twice is fine
	s.Restart()
	s.Restart() // while running: nothing
	if s.Addr() != addr {
		t.Errorf("address after restart %s, want %s", s.Addr(), addr)
	}
	if err := send(t, s, smtptest.Options{}, "", ""); err != nil {
		t.Fatalf("send after restart: %v", err)
	}
	s.Wait(t, 1, 5*time.Second)
}

func TestConcurrent(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{StartTLS: true})
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if err := send(t, s, smtptest.Options{StartTLS: true}, "", ""); err != nil {
				t.Error(err)
			}
		})
	}
	got := s.Wait(t, n, 10*time.Second)
	wg.Wait()
	if len(got) != n {
		t.Errorf("%d messages, want %d", len(got), n)
	}
	got[0].To[0] = "changed"
	if s.Messages()[0].To[0] == "changed" {
		t.Errorf("Messages shares its slices with the server")
	}
}

// fatalTB records Fatalf instead of stopping the test.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = format
}

func TestWaitTimeout(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	tb := &fatalTB{TB: t}
	start := time.Now()
	if got := s.Wait(tb, 1, 50*time.Millisecond); got != nil || !strings.Contains(tb.msg, "want") {
		t.Errorf("Wait = %v, failure %q; want nil and a failure", got, tb.msg)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("Wait returned after %s", d)
	}
}
