package notify

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"
)

// TLS modes of SMTPConfig.
const (
	TLSStartTLS = "starttls" // plain TCP upgraded with STARTTLS, required (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: local relays and tests only
)

// DefaultSMTPTimeout bounds a whole send when SMTPConfig.Timeout is zero.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	Host string
	// Port defaults to 587 for STARTTLS, 465 for implicit TLS and 25
	// without TLS.
	Port int
	// Username and Password, when Username is set, are sent with AUTH
	// PLAIN. That happens only over TLS, or without TLS to localhost,
	// 127.0.0.1 and ::1 (a rule of net/smtp).
	Username, Password string
	// TLS is TLSStartTLS (the default when empty), TLSImplicit or TLSNone.
	// With STARTTLS, a server that does not offer it is an error, never a
	// silent fallback to plain text.
	TLS string
	// RootCAs verify the server's certificate; nil means the system roots.
	RootCAs *x509.CertPool
	// HelloName is the name sent with EHLO; net/smtp's default is
	// "localhost".
	HelloName string
	// Timeout bounds a whole send: connect, TLS, AUTH and DATA. Zero means
	// DefaultSMTPTimeout.
	Timeout time.Duration
}

// withDefaults fills in the port, TLS mode and timeout, and checks the rest.
// Errors wrap ErrInvalidConfig.
func (c SMTPConfig) withDefaults() (SMTPConfig, error) {
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		switch c.TLS {
		case TLSImplicit:
			c.Port = 465
		case TLSNone:
			c.Port = 25
		default:
			c.Port = 587
		}
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultSMTPTimeout
	}
	var errs []error
	if c.Host == "" {
		errs = append(errs, errors.New("no host"))
	}
	if c.Port < 1 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("port %d out of range", c.Port))
	}
	switch c.TLS {
	case TLSStartTLS, TLSImplicit:
	case TLSNone:
		if c.Username != "" && !isLocalhost(c.Host) {
			errs = append(errs, errors.New("a password may go without TLS only to localhost"))
		}
	default:
		errs = append(errs, fmt.Errorf("tls mode %q: want starttls, tls or none", c.TLS))
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("smtp: config: %w: %w", errors.Join(errs...), ErrInvalidConfig)
	}
	return c, nil
}

// isLocalhost is net/smtp's test for where PLAIN may go unencrypted.
func isLocalhost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// ParseSMTPURL reads an SMTP server URL:
//
//	smtp://user:pass@host:587         STARTTLS (port 587 by default)
//	smtps://user:pass@host:465        implicit TLS (port 465 by default)
//	smtp://host:25?tls=none           no TLS (port 25 by default)
//
// User and password are URL-escaped (p%40ss for p@ss). The query may also set
// helo=NAME and timeout=DURATION (10s). Errors wrap ErrInvalidConfig and
// never contain the password.
func ParseSMTPURL(s string) (SMTPConfig, error) {
	u, err := url.Parse(s)
	if err != nil {
		// url.Error quotes the whole URL, password included: keep only the reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return SMTPConfig{}, fmt.Errorf("smtp: parse url: %w: %w", err, ErrInvalidConfig)
	}
	c, err := smtpConfigFromURL(u)
	if err != nil {
		return SMTPConfig{}, fmt.Errorf("smtp: parse url: %w", err)
	}
	return c.withDefaults()
}

func smtpConfigFromURL(u *url.URL) (SMTPConfig, error) {
	var c SMTPConfig
	switch u.Scheme {
	case "smtp":
		c.TLS = TLSStartTLS
	case "smtps":
		c.TLS = TLSImplicit
	default:
		return c, fmt.Errorf("scheme %q: want smtp or smtps: %w", u.Scheme, ErrInvalidConfig)
	}
	if u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return c, fmt.Errorf("want smtp://[user:pass@]host[:port][?tls=none], no path: %w", ErrInvalidConfig)
	}
	c.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return c, fmt.Errorf("port %q: %w", p, ErrInvalidConfig)
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	for key, values := range u.Query() {
		v := values[len(values)-1]
		switch key {
		case "tls":
			if u.Scheme == "smtps" && v != TLSImplicit {
				return c, fmt.Errorf("smtps with tls=%s: %w", v, ErrInvalidConfig)
			}
			c.TLS = v
		case "helo":
			c.HelloName = v
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return c, fmt.Errorf("timeout %q: want a duration like 10s: %w", v, ErrInvalidConfig)
			}
			c.Timeout = d
		default:
			return c, fmt.Errorf("unknown parameter %q: %w", key, ErrInvalidConfig)
		}
	}
	return c, nil
}

// addr is host:port for net.Dial.
func (c SMTPConfig) addr() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}
