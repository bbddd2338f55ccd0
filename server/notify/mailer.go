package notify

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"time"
)

// Mailer sends email through one SMTP server, one connection per message.
// It is safe for concurrent use.
type Mailer struct {
	cfg SMTPConfig
	err error // from checking cfg; every Send returns it
	now func() time.Time
}

// NewMailer returns a Mailer for cfg. A config error (see SMTPConfig) is
// returned by every Send, wrapping ErrInvalidConfig.
func NewMailer(cfg SMTPConfig) *Mailer {
	cfg, err := cfg.withDefaults()
	return &Mailer{cfg: cfg, err: err, now: time.Now}
}

// Send delivers msg (see BuildMessage) to the addresses in msg.To. It gives
// up when ctx is done or the config's Timeout passes, whichever is first.
//
// Permanent(err) tells whether a retry may help. A retry after an error
// past the end of DATA can deliver twice; Message.MessageID lets receivers
// drop the copy.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	if m.err != nil {
		return m.err
	}
	data, env, err := build(msg, m.now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	conn, err := m.dial(ctx)
	if err != nil {
		return fmt.Errorf("smtp: connect to %s: %w", m.cfg.addr(), err)
	}
	defer conn.Close()
	// net/smtp knows no contexts: the deadline covers the timeout, and
	// moving it to the past unblocks any read or write on cancellation.
	deadline, _ := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		return fmt.Errorf("smtp: set deadline: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if err := m.session(conn, env, data); err != nil {
		ctxErr := ctx.Err()
		if ctxErr == nil && !time.Now().Before(deadline) {
			ctxErr = context.DeadlineExceeded // the conn's deadline beat ctx's timer
		}
		if ctxErr != nil {
			return fmt.Errorf("smtp: send via %s: %w (%w)", m.cfg.addr(), ctxErr, err)
		}
		return fmt.Errorf("smtp: send via %s: %w", m.cfg.addr(), err)
	}
	return nil
}

// dial connects, with the TLS handshake done for implicit TLS.
func (m *Mailer) dial(ctx context.Context) (net.Conn, error) {
	if m.cfg.TLS == TLSImplicit {
		d := tls.Dialer{Config: m.tlsConfig()}
		return d.DialContext(ctx, "tcp", m.cfg.addr())
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", m.cfg.addr())
}

func (m *Mailer) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: m.cfg.Host, RootCAs: m.cfg.RootCAs, MinVersion: tls.VersionTLS12}
}

// session runs the SMTP conversation on conn.
func (m *Mailer) session(conn net.Conn, env envelope, data []byte) error {
	c, err := smtp.NewClient(conn, m.cfg.Host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if m.cfg.HelloName != "" {
		if err := c.Hello(m.cfg.HelloName); err != nil {
			return fmt.Errorf("hello: %w", err)
		}
	}
	if m.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("server does not offer STARTTLS (set tls=none to send in plain text): %w", ErrInvalidConfig)
		}
		if err := c.StartTLS(m.tlsConfig()); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if m.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return fmt.Errorf("server does not offer AUTH: %w", ErrInvalidConfig)
		}
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, m.cfg.Host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(env.from); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	for _, addr := range env.to {
		if err := c.Rcpt(addr); err != nil {
			return fmt.Errorf("rcpt to: %w", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	// The server has the message. A failing QUIT must not make the worker
	// send it again.
	_ = c.Quit()
	return nil
}
