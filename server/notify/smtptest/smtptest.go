// Package smtptest runs a real SMTP server in the test process, so that code
// which sends mail can be tested end to end: over plain TCP, STARTTLS or
// implicit TLS, with or without AUTH PLAIN, through outages (Stop, Restart) and
// refusals (FailNext). Received messages are parsed (headers, subject, text
// and HTML parts) for easy assertions.
//
// It imports the standard library, github.com/emersion/go-smtp and
// github.com/emersion/go-sasl. Tests only.
package smtptest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/mail"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Options configure a Server. The zero value is a plain server that accepts
// any message without authentication.
type Options struct {
	// Username and Password, when Username is set, make AUTH PLAIN
	// mandatory before MAIL. Without TLS the server allows AUTH over plain
	// TCP (net/smtp sends it only to localhost then).
	Username, Password string
	// StartTLS offers STARTTLS with a self-signed certificate, made at Start
	// for 127.0.0.1 and localhost. CertPool trusts it.
	StartTLS bool
	// ImplicitTLS speaks TLS from the first byte (SMTPS, as on port 465),
	// with the same kind of certificate.
	ImplicitTLS bool
}

// Message is one message the server accepted.
type Message struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO)
	Data []byte   // the message as received, CRLF line endings

	Header  mail.Header // parsed with net/mail
	Subject string      // decoded from RFC 2047
	// Text and HTML are the first text/plain and text/html parts, with the
	// transfer encoding (quoted-printable, base64) and charset undone and
	// line endings turned into "\n".
	Text, HTML string
	// Err is why Header, Subject, Text or HTML may be incomplete: the
	// message did not parse. Nil for well-formed messages.
	Err error
}

// Server is an SMTP server listening on 127.0.0.1. All methods are safe for
// concurrent use.
type Server struct {
	tb   testing.TB
	opts Options
	tls  *tls.Config    // nil without TLS
	pool *x509.CertPool // nil without TLS

	mu       sync.Mutex
	addr     string
	srv      *smtp.Server // nil while stopped
	ln       *listener
	served   chan struct{} // closed when srv's Serve returns
	msgs     []Message
	arrived  chan struct{} // closed and replaced at each message
	failN    int
	failCode int
}

// Start starts a server on a free port of 127.0.0.1. It stops when the test
// ends.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := &Server{tb: tb, opts: opts, addr: "127.0.0.1:0", arrived: make(chan struct{})}
	if opts.StartTLS || opts.ImplicitTLS {
		cert, pool, err := selfSigned(time.Now())
		if err != nil {
			tb.Fatalf("smtptest: %v", err)
		}
		s.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.pool = pool
	}
	if err := s.listen(); err != nil {
		tb.Fatalf("smtptest: %v", err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// Addr returns the host:port the server listens on.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Host returns the IP address the server listens on, "127.0.0.1".
func (s *Server) Host() string {
	host, _, _ := net.SplitHostPort(s.Addr())
	return host
}

// Port returns the TCP port the server listens on.
func (s *Server) Port() int {
	_, port, _ := net.SplitHostPort(s.Addr())
	n, _ := strconv.Atoi(port)
	return n
}

// CertPool returns a pool that trusts the server's certificate, for a
// client's tls.Config.RootCAs. It is nil when the server has no TLS.
func (s *Server) CertPool() *x509.CertPool {
	if s.pool == nil {
		return nil
	}
	return s.pool.Clone()
}

// Messages returns a copy of the accepted messages in arrival order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneMessages(s.msgs)
}

// Wait returns the accepted messages once there are at least n of them. It
// fails the test if that takes longer than timeout.
func (s *Server) Wait(tb testing.TB, n int, timeout time.Duration) []Message {
	tb.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		got, arrived := len(s.msgs), s.arrived
		if got >= n {
			out := cloneMessages(s.msgs)
			s.mu.Unlock()
			return out
		}
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-timer.C:
			tb.Fatalf("smtptest: %d messages after %s, want %d", got, timeout, n)
			return nil
		}
	}
}

// FailNext makes the server answer the next n DATA commands with code (451
// for a temporary refusal, 550 for a permanent one) instead of accepting
// the message.
func (s *Server) FailNext(n int, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failCode = n, code
}

// Stop closes the listener and every open connection. Until Restart,
// connections to Addr are refused. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln, served := s.srv, s.ln, s.served
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	// srv.Close makes Serve return nil instead of an accept error; ln.Close
	// also covers a listener or connection that srv has not registered yet.
	_ = srv.Close()
	ln.Close()
	<-served
}

// Restart listens again on the same address after Stop. It does nothing
// while the server runs. Messages received so far are kept. If the address
// cannot be taken again, the test is marked failed (tb.Errorf, which is safe
// from any goroutine).
func (s *Server) Restart() {
	if err := s.listen(); err != nil {
		s.tb.Errorf("smtptest: restart: %v", err)
	}
}

// listen starts serving on s.addr unless the server is running.
func (s *Server) listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	inner, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.addr, err)
	}
	s.addr = inner.Addr().String()
	ln := newListener(inner)
	var serveOn net.Listener = ln
	if s.opts.ImplicitTLS {
		serveOn = tls.NewListener(ln, s.tls)
	}
	var srv *smtp.Server
	srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{srv: s, run: srv}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.MaxMessageBytes = 32 << 20
	srv.MaxRecipients = 100
	srv.ErrorLog = log.New(io.Discard, "", 0) // clients hanging up mid-session are expected
	if s.opts.StartTLS {
		srv.TLSConfig = s.tls
	}
	srv.AllowInsecureAuth = !s.opts.StartTLS && !s.opts.ImplicitTLS
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(serveOn)
	}()
	s.srv, s.ln, s.served = srv, ln, served
	return nil
}

// deliver records a message received by run, or returns the refusal
// FailNext asked for. A message that arrives as run is being stopped is
// refused, so that nothing lands after Stop.
func (s *Server) deliver(run *smtp.Server, m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != run {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCodeNotSet, Message: "smtptest: stopped"}
	}
	if s.failN > 0 {
		s.failN--
		return &smtp.SMTPError{Code: s.failCode, EnhancedCode: smtp.EnhancedCodeNotSet,
			Message: "smtptest: refused as asked by FailNext"}
	}
	s.msgs = append(s.msgs, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
	return nil
}

func cloneMessages(msgs []Message) []Message {
	out := make([]Message, len(msgs))
	for i, m := range msgs {
		m.To = slices.Clone(m.To)
		m.Data = slices.Clone(m.Data)
		if m.Header != nil {
			h := make(mail.Header, len(m.Header))
			for k, v := range m.Header {
				h[k] = slices.Clone(v)
			}
			m.Header = h
		}
		out[i] = m
	}
	return out
}
