// Package mailin is Parley's optional SMTP listener for reply-by-email.
//
// Each email alert sent to a staff member carries a per-alert Reply-To
// address, reply+TOKEN@DOMAIN. The listener accepts mail for such addresses
// only (it is not a relay), turns the message into plain text, strips the
// quoted alert and the signature, and hands the rest to a Handler, which
// posts it as the staff member's official reply.
//
// SMTP senders can be forged: anyone can put any address in MAIL FROM and
// in the From header. What authorises a reply is the token, which is
// unguessable and only ever sent to the staff member's mailbox. The check
// that the envelope sender and the From header both name that staff member
// is a second factor, which stops a leaked token from being used from
// another mailbox, not a proof of identity.
//
// The package imports the standard library and github.com/emersion/go-smtp
// only.
package mailin

import (
	"context"
	"errors"
	"strings"
)

// Reply is one accepted email reply.
type Reply struct {
	Token     string // from the recipient address, lower-case
	From      string // the sender address, lower-case
	Text      string // the new text (Markdown), quoted text and signature removed
	MessageID string // the Message-ID header without its angle brackets; may be empty
}

// Handler connects the listener to Parley. The errors returned by Recipient
// and Reply decide the SMTP answer.
//
// Both methods get a context that ends when the Server closes or after a
// timeout, since a sending server waits for the answer.
type Handler interface {
	// Recipient returns the email address of the staff member the token
	// belongs to. It returns ErrUnknown for a token it does not know (the
	// mail is refused with 550 5.1.1); any other error refuses the mail
	// temporarily (451).
	Recipient(ctx context.Context, token string) (staffEmail string, err error)
	// Reply posts the reply. It returns ErrRefused, or an error wrapping it,
	// for a reply that must be refused permanently (550); the error's text
	// goes back to the sender in the SMTP answer, so it must be safe to show.
	// Any other error refuses the mail temporarily (451), and the sending
	// server tries again later.
	Reply(ctx context.Context, r Reply) error
}

// ErrUnknown is returned by Handler.Recipient for a token it does not know.
var ErrUnknown = errors.New("mailin: unknown reply token")

// ErrRefused is returned (or wrapped) by Handler.Reply for a reply that must
// be refused permanently.
var ErrRefused = errors.New("mailin: reply refused")

const (
	localPrefix    = "reply+"
	minTokenLength = 20
	maxTokenLength = 64
)

// Address returns the reply address of a token: reply+TOKEN@domain.
func Address(token, domain string) string {
	return localPrefix + token + "@" + domain
}

// ParseAddress returns the token of a reply address, reply+TOKEN@domain.
// The domain and the "reply+" prefix match case-insensitively, and the token
// is returned in lower case, because mail systems do not all keep the case
// of an address. Angle brackets around the address are allowed. The token
// must be 20 to 64 letters and digits.
func ParseAddress(addr, domain string) (token string, ok bool) {
	addr = strings.TrimSpace(addr)
	if a, found := strings.CutPrefix(addr, "<"); found {
		addr, found = strings.CutSuffix(a, ">")
		if !found {
			return "", false
		}
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || domain == "" || !sameDomain(addr[at+1:], domain) {
		return "", false
	}
	local := addr[:at]
	if len(local) < len(localPrefix) || !strings.EqualFold(local[:len(localPrefix)], localPrefix) {
		return "", false
	}
	token = strings.ToLower(local[len(localPrefix):])
	if len(token) < minTokenLength || len(token) > maxTokenLength {
		return "", false
	}
	for _, c := range []byte(token) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return "", false
		}
	}
	return token, true
}

// addressDomain returns the part of addr after its last "@", or "".
func addressDomain(addr string) string {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return ""
	}
	return addr[at+1:]
}

// sameDomain compares two domains case-insensitively, ignoring a trailing
// root dot.
func sameDomain(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}
