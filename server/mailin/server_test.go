package mailin

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"log/slog"
	"math/big"
	"net"
	"net/smtp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer collects log output written from the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServer serves on a free local port until the test ends and returns
// the address and the log.
func startServer(tb testing.TB, cfg Config, h Handler) (string, *lockedBuffer) {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	logs := &lockedBuffer{}
	s := New(cfg, h, slog.New(slog.NewTextHandler(logs, nil)))
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
		if err := <-done; err != nil {
			tb.Errorf("Serve: %v", err)
		}
	})
	return l.Addr().String(), logs
}

// sendMail sends msg over SMTP and returns the first error answer.
func sendMail(tb testing.TB, addr, from string, to []string, msg string) error {
	tb.Helper()
	conn, err := (&net.Dialer{}).DialContext(tb.Context(), "tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		tb.Fatal(err)
	}
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.example.com"); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(crlf(msg))); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func TestServerStartTLS(t *testing.T) {
	h := newRecorder()
	addr, _ := startServer(t, Config{Domain: testDomain, TLSConfig: &tls.Config{Certificates: []tls.Certificate{testCert(t)}}}, h)
	conn, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS is not advertised")
	}
	if err := c.StartTLS(&tls.Config{InsecureSkipVerify: true}); err != nil { // a self-signed test certificate
		t.Fatal(err)
	}
	if ok, _ := c.Extension("AUTH"); ok {
		t.Error("AUTH is advertised over TLS")
	}
	if err := c.Mail(staffEmail); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(Address(token, testDomain)); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(crlf(replyMessage(staffEmail, "", "Over TLS.")))); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := h.posted(); len(got) != 1 || got[0].Text != "Over TLS." {
		t.Errorf("posted %+v", got)
	}
}

// testCert makes a self-signed certificate for 127.0.0.1.
func testCert(tb testing.TB) tls.Certificate {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	h := newRecorder()
	logs := &lockedBuffer{}
	s := New(Config{Addr: "127.0.0.1:0", Domain: testDomain}, h, slog.New(slog.NewTextHandler(logs, nil)))
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()

	addr := listenAddr(t, logs)
	if err := sendMail(t, addr, staffEmail, []string{Address(token, testDomain)}, replyMessage(staffEmail, "", "Via Run.")); err != nil {
		t.Fatal(err)
	}
	if got := h.posted(); len(got) != 1 || got[0].Text != "Via Run." {
		t.Errorf("posted %+v", got)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("still listening after Run returned")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// listenAddr waits for Run to log the address it listens on.
func listenAddr(tb testing.TB, logs *lockedBuffer) string {
	tb.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for _, field := range strings.Fields(logs.String()) {
			if addr, ok := strings.CutPrefix(field, "addr="); ok {
				return addr
			}
		}
	}
	tb.Fatalf("Run logged no address:\n%s", logs)
	return ""
}

func TestCloseBeforeServe(t *testing.T) {
	s := New(Config{Domain: testDomain}, newRecorder(), nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve after Close did not return")
	}
}

func TestRunWithoutAddr(t *testing.T) {
	if err := New(Config{Domain: testDomain}, newRecorder(), nil).Run(t.Context()); err == nil {
		t.Error("Run without an address did not fail")
	}
}
