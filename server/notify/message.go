package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"
)

// Message is one email.
type Message struct {
	// From, To and ReplyTo are addresses, with or without a display name:
	// `Parley <alerts@example.com>`. To and ReplyTo may list several,
	// separated by commas. ReplyTo is optional.
	From, To, ReplyTo string
	Subject           string
	Text              string
	// HTML, when set, is sent as the alternative to Text.
	HTML string
	// MessageID is stable per alert, like "<alert-42@parley.example>", so
	// that a receiver can drop the duplicate a retry may cause. When empty,
	// a random one is made.
	MessageID string
	// Headers are extra header fields (X-Parley-Alert, List-Unsubscribe,
	// ...). They may not set a field BuildMessage writes itself.
	Headers map[string]string
}

// ownField reports whether BuildMessage writes the field (named in canonical
// form) itself, or must not write it at all (Bcc), so Headers may not set it.
func ownField(name string) bool {
	switch name {
	case "Bcc", "Cc", "Content-Transfer-Encoding", "Content-Type", "Date", "From", "Message-Id", "Mime-Version",
		"Reply-To", "Sender", "Subject", "To":
		return true
	}
	return false
}

// maxLine is where header lines are folded (RFC 5322 section 2.1.1).
const maxLine = 78

// BuildMessage renders msg as an RFC 5322 message with CRLF line endings:
// Date (now), From, To, Reply-To, Subject (RFC 2047 encoded when not ASCII),
// Message-ID, the extra headers, MIME-Version, and the body in UTF-8
// quoted-printable, as multipart/alternative with text/plain and text/html
// parts, or as text/plain alone when HTML is empty. Text and HTML get a
// final line break when they lack one.
//
// Errors wrap ErrInvalidMessage: an address that does not parse, no
// recipient, a CR or LF in any header, a header name that is not a field
// name or that BuildMessage writes itself.
func BuildMessage(msg Message, now time.Time) ([]byte, error) {
	data, _, err := build(msg, now)
	return data, err
}

// envelope holds the bare addresses for MAIL FROM and RCPT TO.
type envelope struct {
	from string
	to   []string
}

// build renders msg and returns its envelope.
func build(msg Message, now time.Time) ([]byte, envelope, error) {
	from, to, replyTo, err := parseAddresses(msg)
	if err != nil {
		return nil, envelope{}, err
	}
	if err := checkHeaderValue("Subject", msg.Subject); err != nil {
		return nil, envelope{}, err
	}
	id, err := messageID(msg.MessageID, from)
	if err != nil {
		return nil, envelope{}, err
	}
	extra, err := extraHeaders(msg.Headers)
	if err != nil {
		return nil, envelope{}, err
	}
	var b bytes.Buffer
	writeHeader(&b, "Date", now.Format(time.RFC1123Z))
	writeHeader(&b, "From", from.String())
	writeHeader(&b, "To", joinAddresses(to))
	if len(replyTo) > 0 {
		writeHeader(&b, "Reply-To", joinAddresses(replyTo))
	}
	writeHeader(&b, "Subject", encodeWords(msg.Subject))
	writeHeader(&b, "Message-ID", id)
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		writeHeader(&b, k, encodeWords(extra[k]))
	}
	writeHeader(&b, "MIME-Version", "1.0")
	if err := writeBody(&b, msg.Text, msg.HTML); err != nil {
		return nil, envelope{}, err
	}
	env := envelope{from: from.Address}
	for _, a := range to {
		env.to = append(env.to, a.Address)
	}
	return b.Bytes(), env, nil
}

// writeBody writes the Content-Type, the blank line and the body: text
// alone, or text and html as multipart/alternative.
func writeBody(b *bytes.Buffer, text, html string) error {
	if html == "" {
		writeHeader(b, "Content-Type", "text/plain; charset=utf-8")
		writeHeader(b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		return writeQP(b, text)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	writeHeader(b, "Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	for _, part := range []struct{ mediaType, text string }{{"text/plain", text}, {"text/html", html}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.mediaType + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return fmt.Errorf("notify: build message: %w", err)
		}
		if err := writeQP(w, part.text); err != nil {
			return err
		}
	}
	if err := mw.Close(); err != nil {
		return fmt.Errorf("notify: build message: %w", err)
	}
	b.Write(body.Bytes())
	return nil
}

// parseAddresses reads From, To and Reply-To. The errors leave out the
// addresses, and net/mail's reasons, which may quote them: errors end up in
// logs.
func parseAddresses(msg Message) (from *mail.Address, to, replyTo []*mail.Address, err error) {
	for _, f := range []struct{ name, value string }{{"From", msg.From}, {"To", msg.To}, {"Reply-To", msg.ReplyTo}} {
		if err := checkHeaderValue(f.name, f.value); err != nil {
			return nil, nil, nil, err
		}
	}
	if from, err = mail.ParseAddress(msg.From); err != nil {
		return nil, nil, nil, fmt.Errorf("notify: from address does not parse: %w", ErrInvalidMessage)
	}
	if strings.TrimSpace(msg.To) == "" {
		return nil, nil, nil, fmt.Errorf("notify: no recipient: %w", ErrInvalidMessage)
	}
	if to, err = mail.ParseAddressList(msg.To); err != nil {
		return nil, nil, nil, fmt.Errorf("notify: to address does not parse: %w", ErrInvalidMessage)
	}
	if strings.TrimSpace(msg.ReplyTo) != "" {
		if replyTo, err = mail.ParseAddressList(msg.ReplyTo); err != nil {
			return nil, nil, nil, fmt.Errorf("notify: reply-to address does not parse: %w", ErrInvalidMessage)
		}
	}
	return from, to, replyTo, nil
}

// messageID checks id, bracketing it if needed, or makes a random one in
// the sender's domain.
func messageID(id string, from *mail.Address) (string, error) {
	if id == "" {
		var r [16]byte
		_, _ = rand.Read(r[:]) // never fails (crypto/rand)
		domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
		return "<" + hex.EncodeToString(r[:]) + "@" + domain + ">", nil
	}
	if !strings.HasPrefix(id, "<") {
		id = "<" + id + ">"
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	if !strings.HasSuffix(id, ">") || !strings.Contains(inner, "@") || strings.ContainsAny(inner, "<> \t\r\n\"") ||
		!isASCII(inner) {
		return "", fmt.Errorf("notify: message id: want <local@domain>: %w", ErrInvalidMessage)
	}
	return id, nil
}

// extraHeaders checks the extra fields and returns them under their
// canonical names.
func extraHeaders(h map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if !isFieldName(k) {
			return nil, fmt.Errorf("notify: header name is not a field name: %w", ErrInvalidMessage)
		}
		ck := textproto.CanonicalMIMEHeaderKey(k)
		if ownField(ck) {
			return nil, fmt.Errorf("notify: header %s is set by the mailer: %w", ck, ErrInvalidMessage)
		}
		if _, dup := out[ck]; dup {
			return nil, fmt.Errorf("notify: header %s given twice: %w", ck, ErrInvalidMessage)
		}
		if err := checkHeaderValue(ck, v); err != nil {
			return nil, err
		}
		out[ck] = v
	}
	return out, nil
}

// checkHeaderValue refuses line breaks, which would let a value start a
// header of its own (header injection), and other control characters.
func checkHeaderValue(name, v string) error {
	for _, r := range v {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return fmt.Errorf("notify: header %s: control character %q: %w", name, r, ErrInvalidMessage)
		}
	}
	return nil
}

// isFieldName reports whether s is an RFC 5322 field name: printable ASCII
// other than colon.
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func joinAddresses(list []*mail.Address) string {
	s := make([]string, len(list))
	for i, a := range list {
		s[i] = a.String() // RFC 2047-encodes a non-ASCII display name
	}
	return strings.Join(s, ", ")
}

// encodeWords returns s, or RFC 2047 encoded words for it when it is not
// ASCII: Q encoding for mostly-Latin text, B (shorter) for Greek and the like.
func encodeWords(s string) string {
	if isASCII(s) {
		return s
	}
	q, b := mime.QEncoding.Encode("utf-8", s), mime.BEncoding.Encode("utf-8", s)
	if len(b) < len(q) {
		return b
	}
	return q
}

// writeHeader writes one field, folded at spaces (even the one after the
// colon) to keep lines within maxLine where the words allow. Encoded words
// never contain spaces and are at most 75 characters long, so they fold
// cleanly.
func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(":")
	line := len(name) + 1
	for _, word := range strings.Split(value, " ") {
		if word != "" && line+1+len(word) > maxLine {
			b.WriteString("\r\n")
			line = 0
		}
		b.WriteString(" ")
		b.WriteString(word)
		line += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// writeQP writes text quoted-printable with CRLF line breaks, ending in one.
func writeQP(w io.Writer, text string) error {
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	qw := quotedprintable.NewWriter(w)
	if _, err := qw.Write([]byte(text)); err != nil {
		return fmt.Errorf("notify: encode body: %w", err)
	}
	if err := qw.Close(); err != nil {
		return fmt.Errorf("notify: encode body: %w", err)
	}
	return nil
}
