package mailin

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"testing"
)

const (
	testDomain = "reply.example.com"
	staffEmail = "jane@example.com"
	token      = "abcdefghijklmnopqrst1234"
	otherToken = "zyxwvutsrqponmlkjihg9876"
)

// recorder is the Handler of the tests: a fixed map of tokens to staff
// addresses, and a record of the replies posted.
type recorder struct {
	staff     map[string]string // token → staff address
	lookupErr error             // returned by Recipient when set
	replyErr  error             // returned by Reply when set

	mu      sync.Mutex
	replies []Reply
}

func newRecorder() *recorder {
	return &recorder{staff: map[string]string{token: staffEmail, otherToken: "Bob@Example.com"}}
}

func (r *recorder) Recipient(ctx context.Context, tok string) (string, error) {
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if r.lookupErr != nil {
		return "", r.lookupErr
	}
	email, ok := r.staff[tok]
	if !ok {
		return "", ErrUnknown
	}
	return email, nil
}

func (r *recorder) Reply(ctx context.Context, rep Reply) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if r.replyErr != nil {
		return r.replyErr
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replies = append(r.replies, rep)
	return nil
}

func (r *recorder) posted() []Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Reply(nil), r.replies...)
}

// replyMessage is a reply from Gmail, with extra header lines.
func replyMessage(from, headers, text string) string {
	return "From: Jane Doe <" + from + ">\nTo: <" + Address(token, testDomain) + ">\nSubject: Re: New comment\n" +
		"Message-ID: <CAF1234@mail.example.com>\n" + headers +
		"Content-Type: text/plain; charset=UTF-8\n\n" + text +
		"\n\nOn Tue, 3 Mar 2026 at 10:00, Parley <alerts@example.com> wrote:\n\n> A reader commented:\n> It is broken.\n"
}

func TestServer(t *testing.T) {
	rcpt := []string{Address(token, testDomain)}
	tests := []struct {
		name      string
		from      string
		to        []string
		msg       string
		lookupErr error
		replyErr  error
		wantCode  int    // 0 for accepted
		wantEnh   string // enhanced status code of the answer
		wantText  string // posted text; "" when nothing is posted
	}{
		{
			name: "accepted", from: staffEmail, to: rcpt,
			msg:      replyMessage(staffEmail, "", "Thanks, fixed.\n\nIt was the *cache*."),
			wantText: "Thanks, fixed.\n\nIt was the *cache*.",
		},
		{
			name: "case of addresses and domain", from: "JANE@example.COM", to: []string{"Reply+" + strings.ToUpper(token) + "@Reply.Example.com"},
			msg:      replyMessage("Jane@Example.com", "Auto-Submitted: no\n", "Done."),
			wantText: "Done.",
		},
		{
			name: "html only", from: staffEmail, to: rcpt,
			msg: "From: " + staffEmail + "\nMessage-ID: <CAF1234@mail.example.com>\nContent-Type: text/html; charset=utf-8\n\n" +
				"<div>Thanks &amp; <b>fixed</b>.</div><div><br></div><div>Jane</div><hr>" +
				"<b>From:</b> Parley &lt;alerts@example.com&gt;<br><b>Sent:</b> Tuesday<br><p>A reader commented</p>\n",
			wantText: "Thanks & fixed.\n\nJane",
		},
		{
			name: "unknown token", from: staffEmail, to: []string{Address("unknowntoken1234567890", testDomain)},
			msg: replyMessage(staffEmail, "", "Hi"), wantCode: 550, wantEnh: "5.1.1",
		},
		{
			name: "other domain", from: staffEmail, to: []string{Address(token, "example.org")},
			msg: replyMessage(staffEmail, "", "Hi"), wantCode: 550, wantEnh: "5.7.1",
		},
		{
			name: "address without token", from: staffEmail, to: []string{"jane@" + testDomain},
			msg: replyMessage(staffEmail, "", "Hi"), wantCode: 550, wantEnh: "5.1.1",
		},
		{
			name: "reply without token", from: staffEmail, to: []string{"reply@" + testDomain},
			msg: replyMessage(staffEmail, "", "Hi"), wantCode: 550, wantEnh: "5.1.1",
		},
		{
			name: "token too short", from: staffEmail, to: []string{Address("abc123", testDomain)},
			msg: replyMessage(staffEmail, "", "Hi"), wantCode: 550, wantEnh: "5.1.1",
		},
		{
			name: "wrong envelope sender", from: "mallory@example.net", to: rcpt,
			msg: replyMessage(staffEmail, "", "Hi"), wantCode: 550, wantEnh: "5.7.1",
		},
		{
			name: "null envelope sender", from: "", to: rcpt,
			msg: replyMessage(staffEmail, "", "Hi"), wantCode: 550, wantEnh: "5.7.1",
		},
		{
			name: "token of another staff member", from: staffEmail, to: []string{Address(otherToken, testDomain)},
			msg: replyMessage(staffEmail, "", "Hi"), wantCode: 550, wantEnh: "5.7.1",
		},
		{
			name: "wrong header from", from: staffEmail, to: rcpt,
			msg: replyMessage("mallory@example.net", "", "Hi"), wantCode: 550, wantEnh: "5.7.1",
		},
		{
			name: "two recipients", from: staffEmail, to: []string{rcpt[0], Address(otherToken, testDomain)},
			msg: replyMessage(staffEmail, "", "Hi"), wantCode: 452, wantEnh: "4.5.3",
		},
		{
			name: "oversized", from: staffEmail, to: rcpt,
			msg: replyMessage(staffEmail, "", strings.Repeat("All work and no play.\n", 1000)), wantCode: 552, wantEnh: "5.3.4",
		},
		{
			name: "line too long", from: staffEmail, to: rcpt,
			msg: replyMessage(staffEmail, "", strings.Repeat("x", 3000)), wantCode: 550, wantEnh: "5.6.0",
		},
		{
			name: "empty after stripping", from: staffEmail, to: rcpt,
			msg: replyMessage(staffEmail, "", "\n\nSent from my iPhone"), wantCode: 550, wantEnh: "5.6.0",
		},
		{
			name: "unsupported charset", from: staffEmail, to: rcpt,
			msg: "From: " + staffEmail + "\nContent-Type: text/plain; charset=koi8-r\n\nhi\n", wantCode: 550, wantEnh: "5.6.3",
		},
		{
			name: "auto-submitted", from: staffEmail, to: rcpt,
			msg: replyMessage(staffEmail, "Auto-Submitted: auto-replied\n", "I am out of the office."),
		},
		{
			name: "precedence bulk", from: staffEmail, to: rcpt,
			msg: replyMessage(staffEmail, "Precedence: bulk\n", "I am out of the office."),
		},
		{
			name: "x-autoreply", from: staffEmail, to: rcpt,
			msg: replyMessage(staffEmail, "X-Autoreply: yes\n", "I am out of the office."),
		},
		{
			name: "refused by handler", from: staffEmail, to: rcpt,
			msg:      replyMessage(staffEmail, "", "Hi"),
			replyErr: fmt.Errorf("the thread is closed: %w", ErrRefused), wantCode: 550, wantEnh: "5.7.1",
		},
		{
			name: "temporary handler error", from: staffEmail, to: rcpt,
			msg:      replyMessage(staffEmail, "", "Hi"),
			replyErr: errors.New("database is locked"), wantCode: 451, wantEnh: "4.3.0",
		},
		{
			name: "temporary lookup error", from: staffEmail, to: rcpt,
			msg:       replyMessage(staffEmail, "", "Hi"),
			lookupErr: errors.New("database is locked"), wantCode: 451, wantEnh: "4.3.0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newRecorder()
			h.lookupErr, h.replyErr = tt.lookupErr, tt.replyErr
			addr, logs := startServer(t, Config{Domain: testDomain, MaxBytes: 8 << 10}, h)

			err := sendMail(t, addr, tt.from, tt.to, tt.msg)
			checkAnswer(t, err, tt.wantCode, tt.wantEnh)

			got := h.posted()
			switch {
			case tt.wantText == "" && len(got) != 0:
				t.Errorf("posted %+v, want nothing", got)
			case tt.wantText != "" && len(got) != 1:
				t.Fatalf("posted %d replies, want 1", len(got))
			case tt.wantText != "":
				want := Reply{Token: token, From: staffEmail, Text: tt.wantText, MessageID: "CAF1234@mail.example.com"}
				if got[0] != want {
					t.Errorf("posted %+v\nwant %+v", got[0], want)
				}
			}
			if tt.name == "refused by handler" && !strings.Contains(err.Error(), "the thread is closed") {
				t.Errorf("answer %q does not say why", err)
			}
			checkLogs(t, logs.String())
		})
	}
}

// checkAnswer checks the SMTP answer to a send.
func checkAnswer(tb testing.TB, err error, code int, enhanced string) {
	tb.Helper()
	if code == 0 {
		if err != nil {
			tb.Fatalf("send: %v, want it accepted", err)
		}
		return
	}
	var te *textproto.Error
	if !errors.As(err, &te) {
		tb.Fatalf("send: %v, want SMTP answer %d", err, code)
	}
	if te.Code != code || !strings.HasPrefix(te.Msg, enhanced+" ") {
		tb.Errorf("answer %d %s, want %d %s", te.Code, te.Msg, code, enhanced)
	}
}

// checkLogs checks that the log holds one line per mail and never an
// address or a token.
func checkLogs(tb testing.TB, logs string) {
	tb.Helper()
	if !strings.Contains(logs, "msg=\"mail ") {
		tb.Errorf("no mail logged:\n%s", logs)
	}
	for _, secret := range []string{staffEmail, "mallory", token, otherToken, strings.ToUpper(token)} {
		if strings.Contains(strings.ToLower(logs), strings.ToLower(secret)) {
			tb.Errorf("log holds %q:\n%s", secret, logs)
		}
	}
}

func TestServerSecondMessageOnConnection(t *testing.T) {
	h := newRecorder()
	addr, _ := startServer(t, Config{Domain: testDomain}, h)
	conn, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("AUTH"); ok {
		t.Error("AUTH is advertised")
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("STARTTLS is advertised without a TLS config")
	}
	// A refused recipient, then RSET, then a good message on the same
	// connection: the session must not keep state across messages.
	if err := c.Mail("mallory@example.net"); err != nil {
		t.Fatal(err)
	}
	checkAnswer(t, c.Rcpt(Address(token, testDomain)), 550, "5.7.1")
	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"First.", "Second."} {
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
		if _, err := w.Write([]byte(crlf(replyMessage(staffEmail, "", text)))); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.posted(); len(got) != 2 || got[0].Text != "First." || got[1].Text != "Second." {
		t.Errorf("posted %+v", got)
	}
}
