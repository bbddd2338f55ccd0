package notify

import (
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
)

// ErrInvalidMessage marks a message that cannot be sent as it is: a bad
// address, a line break in a header, a header Parley sets itself.
var ErrInvalidMessage = errors.New("invalid message")

// ErrInvalidConfig marks a sender set up wrongly: a bad SMTP URL or TLS
// mode, a server without STARTTLS or AUTH, a bad webhook URL or format.
var ErrInvalidConfig = errors.New("invalid config")

// StatusError is a webhook endpoint's answer other than 2xx.
type StatusError struct {
	StatusCode int
	// Body is the start of the response body, for the log.
	Body string
}

// Error describes the answer.
func (e *StatusError) Error() string {
	s := fmt.Sprintf("status %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		s += ": " + e.Body
	}
	return s
}

// Permanent reports whether err will not go away by retrying: an SMTP 5xx
// reply, a webhook's 3xx (redirects are not followed) or 4xx other than 408
// and 429, ErrInvalidMessage or ErrInvalidConfig. Network errors, timeouts,
// cancellation, SMTP 4xx and webhook 5xx are temporary.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrInvalidMessage) || errors.Is(err, ErrInvalidConfig) {
		return true
	}
	var se *StatusError
	if errors.As(err, &se) {
		code := se.StatusCode
		return code >= 300 && code < 500 && code != http.StatusRequestTimeout && code != http.StatusTooManyRequests
	}
	var te *textproto.Error // net/smtp's error for a reply it did not expect
	if errors.As(err, &te) {
		return te.Code >= 500 && te.Code < 600
	}
	return false
}
