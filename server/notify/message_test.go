package notify_test

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/notify"
)

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func alertMessage() notify.Message {
	return notify.Message{
		From:      "Parley <alerts@parley.example>",
		To:        "Jana Novak <jana@acme.example>",
		ReplyTo:   "reply+abc@reply.parley.example",
		Subject:   "Νέο σχόλιο: Zażółć gęślą jaźń, Čćđšž",
		Text:      "Γιατί αυξήθηκε η τιμή;\nZażółć gęślą jaźń.\nŠto je novo? Čćđšž\n",
		HTML:      "<p>Γιατί αυξήθηκε η τιμή;</p><p>Zażółć gęślą jaźń.</p><p>Što je novo? Čćđšž</p>\n",
		MessageID: "<alert-42@parley.example>",
		Headers:   map[string]string{"X-Parley-Alert": "new_comment", "Auto-Submitted": "auto-generated"},
	}
}

// parts decodes a built message's text/plain and text/html parts.
func parts(tb testing.TB, m *mail.Message) (text, html string) {
	tb.Helper()
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		tb.Fatal(err)
	}
	if mediaType == "text/plain" {
		b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
		if err != nil {
			tb.Fatal(err)
		}
		return string(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))), ""
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // undoes quoted-printable
		if err == io.EOF {
			return text, html
		}
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			tb.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
		switch ct := p.Header.Get("Content-Type"); ct {
		case "text/plain; charset=utf-8":
			text = string(b)
		case "text/html; charset=utf-8":
			html = string(b)
		default:
			tb.Errorf("part type %q", ct)
		}
	}
}

func TestBuildMessage(t *testing.T) {
	msg := alertMessage()
	data, err := notify.BuildMessage(msg, now)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, data)
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Date":           "Mon, 23 Nov 2026 10:00:00 +0000",
		"From":           `"Parley" <alerts@parley.example>`,
		"To":             `"Jana Novak" <jana@acme.example>`,
		"Reply-To":       "<reply+abc@reply.parley.example>",
		"Message-Id":     "<alert-42@parley.example>",
		"Mime-Version":   "1.0",
		"X-Parley-Alert": "new_comment",
		"Auto-Submitted": "auto-generated",
	}
	for k, v := range want {
		if got := m.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	var dec mime.WordDecoder
	if subject, err := dec.DecodeHeader(m.Header.Get("Subject")); err != nil || subject != msg.Subject {
		t.Errorf("subject %q (%v), want %q", subject, err, msg.Subject)
	}
	if !strings.HasPrefix(m.Header.Get("Subject"), "=?utf-8?") {
		t.Errorf("subject %q is not RFC 2047 encoded", m.Header.Get("Subject"))
	}
	if text, html := parts(t, m); text != msg.Text || html != msg.HTML {
		t.Errorf("text %q, html %q; want %q, %q", text, html, msg.Text, msg.HTML)
	}
}

func TestBuildMessageTextOnly(t *testing.T) {
	msg := notify.Message{From: "a@x.example", To: "b@y.example, C <c@y.example>", Subject: "Plain subject",
		Text: "A line that is long enough to need a soft line break in quoted-printable, " + strings.Repeat("ž", 60) +
			"\nand trailing space   \n.a line starting with a dot\nno final newline"}
	data, err := notify.BuildMessage(msg, now)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, data)
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if ct := m.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if s := m.Header.Get("Subject"); s != msg.Subject {
		t.Errorf("subject %q, want it unencoded", s)
	}
	if id := m.Header.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@x.example>") {
		t.Errorf("generated message id %q", id)
	}
	if text, _ := parts(t, m); text != msg.Text+"\n" {
		t.Errorf("text %q, want %q", text, msg.Text+"\n")
	}
}

func TestBuildMessageFoldsLongSubjects(t *testing.T) {
	for _, subject := range []string{
		strings.Repeat("A long  ASCII subject ", 20) + "end",
		strings.Repeat("Καλημέρα κόσμε ", 20) + "τέλος",
		strings.Repeat("Čćđšž ", 40) + "kraj",
		"Mixed: " + strings.Repeat("a", 100) + " " + strings.Repeat("Zażółć ", 20),
	} {
		data, err := notify.BuildMessage(notify.Message{From: "a@x.example", To: "b@y.example", Subject: subject}, now)
		if err != nil {
			t.Fatal(err)
		}
		checkLines(t, data)
		m, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var dec mime.WordDecoder
		if got, err := dec.DecodeHeader(m.Header.Get("Subject")); err != nil || got != subject {
			t.Errorf("subject %q (%v), want %q", got, err, subject)
		}
	}
}

// checkLines asserts CRLF line endings and header lines of at most 78
// characters.
func checkLines(tb testing.TB, data []byte) {
	tb.Helper()
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		tb.Errorf("message does not end in CRLF")
	}
	header, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	for i, line := range bytes.Split(data, []byte("\n")) {
		if i > 0 && len(line) > 0 && !bytes.HasSuffix(line, []byte("\r")) && i < bytes.Count(data, []byte("\n")) {
			tb.Errorf("bare LF after line %q", line)
		}
		if len(line) > 998 {
			tb.Errorf("line of %d characters", len(line))
		}
	}
	for line := range bytes.SplitSeq(header, []byte("\r\n")) {
		if len(line) > 78 {
			tb.Errorf("header line of %d characters: %q", len(line), line)
		}
	}
}

func TestBuildMessageRejects(t *testing.T) {
	tests := []struct {
		name string
		edit func(*notify.Message)
	}{
		{"CRLF in subject", func(m *notify.Message) { m.Subject = "Hi\r\nBcc: victim@example.com" }},
		{"LF in subject", func(m *notify.Message) { m.Subject = "Hi\nBcc: victim@example.com" }},
		{"CR in subject", func(m *notify.Message) { m.Subject = "Hi\rBcc: victim@example.com" }},
		{"CRLF in to", func(m *notify.Message) { m.To = "jana@acme.example\r\nBcc: victim@example.com" }},
		{"CRLF in from", func(m *notify.Message) { m.From = "a@x.example\r\nBcc: victim@example.com" }},
		{"CRLF in reply-to", func(m *notify.Message) { m.ReplyTo = "a@x.example\r\nBcc: victim@example.com" }},
		{"CRLF in header value", func(m *notify.Message) { m.Headers["X-Parley-Alert"] = "x\r\nBcc: victim@example.com" }},
		{"LF in header name", func(m *notify.Message) { m.Headers["X-A\nBcc"] = "victim@example.com" }},
		{"colon in header name", func(m *notify.Message) { m.Headers["Bcc: victim@example.com\r\nX"] = "y" }},
		{"space in header name", func(m *notify.Message) { m.Headers["X A"] = "y" }},
		{"empty header name", func(m *notify.Message) { m.Headers[""] = "y" }},
		{"own header", func(m *notify.Message) { m.Headers["subject"] = "other" }},
		{"bcc header", func(m *notify.Message) { m.Headers["BCC"] = "victim@example.com" }},
		{"same header twice", func(m *notify.Message) { m.Headers["x-parley-alert"] = "again" }},
		{"CRLF in message id", func(m *notify.Message) { m.MessageID = "<a@b>\r\nBcc: victim@example.com" }},
		{"message id without @", func(m *notify.Message) { m.MessageID = "<alert-42>" }},
		{"bad from", func(m *notify.Message) { m.From = "not an address" }},
		{"bad to", func(m *notify.Message) { m.To = "jana@" }},
		{"no to", func(m *notify.Message) { m.To = " " }},
		{"NUL in subject", func(m *notify.Message) { m.Subject = "a\x00b" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := alertMessage()
			tt.edit(&msg)
			_, err := notify.BuildMessage(msg, now)
			if !errors.Is(err, notify.ErrInvalidMessage) || !notify.Permanent(err) {
				t.Fatalf("BuildMessage: %v, want a permanent ErrInvalidMessage", err)
			}
			if strings.Contains(err.Error(), "victim@") || strings.Contains(err.Error(), "jana@") {
				t.Errorf("error %q names an address", err)
			}
		})
	}
}
