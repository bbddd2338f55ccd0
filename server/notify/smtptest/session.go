package smtptest

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// session is one SMTP conversation. go-smtp starts a new one after STARTTLS,
// so authentication done before it does not carry over.
type session struct {
	srv    *Server
	run    *smtp.Server // the run of srv this session belongs to
	authed bool
	from   string
	to     []string
}

// AuthMechanisms offers PLAIN when the server has a username.
func (s *session) AuthMechanisms() []string {
	if s.srv.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks AUTH PLAIN credentials against Options.
func (s *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || s.srv.opts.Username == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		userOK := subtle.ConstantTimeCompare([]byte(username), []byte(s.srv.opts.Username)) == 1
		passOK := subtle.ConstantTimeCompare([]byte(password), []byte(s.srv.opts.Password)) == 1
		if !userOK || !passOK || (identity != "" && identity != username) {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

// Mail starts a message.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.opts.Username != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from, s.to = from, nil
	return nil
}

// Rcpt adds a recipient.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.srv.opts.Username != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.to = append(s.to, to)
	return nil
}

// Data reads the message and records it, unless FailNext says to refuse it.
func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se // go-smtp answers with an SMTPError's code only when it is not wrapped
	}
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	return s.srv.deliver(s.run, parse(s.from, s.to, data))
}

// Reset forgets the message in progress.
func (s *session) Reset() {
	s.from, s.to = "", nil
}

// Logout ends the session.
func (s *session) Logout() error { return nil }
