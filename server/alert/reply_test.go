package alert_test

import (
	"fmt"
	"log/slog"
	"net"
	"net/smtp"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/alert"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/mailin"
)

// TestReplyByEmail sends an alert, answers it through the real SMTP
// listener as the staff member would, and checks what is refused.
func TestReplyByEmail(t *testing.T) {
	r := newRig(t, "sqlite")
	c := r.post("Maria", "Do you ship to Croatia?")
	r.at(23, 10, 0)
	msgs := r.smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d alerts, want 1", len(msgs))
	}
	replyTo := msgs[0].Header.Get("Reply-To")
	token, ok := mailin.ParseAddress(strings.Trim(replyTo, "<>"), "reply.acme.example")
	if !ok {
		t.Fatalf("Reply-To %q is not a reply address", replyTo)
	}
	h := alert.NewReplies(r.st, r.svc, []byte("reply key"))
	ml := mailin.New(mailin.Config{Domain: "reply.acme.example"}, h, slog.New(slog.DiscardHandler))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go ml.Serve(ln)
	t.Cleanup(func() { ml.Close() })

	send := func(from, to, body string) error {
		msg := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: Re: alert\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s", from, to, body)
		return smtp.SendMail(ln.Addr().String(), nil, from, []string{to}, []byte(msg))
	}
	refused := func(what, from, to string) {
		t.Helper()
		err := send(from, to, "Not an answer")
		if err == nil || !strings.Contains(err.Error(), "550") {
			t.Errorf("%s: %v, want a 550 refusal", what, err)
		}
	}
	good := mailin.Address(token, "reply.acme.example")
	refused("another sender", "mallory@evil.example", good)
	refused("the owner, not the recipient", r.owner.Email, good)
	refused("a bad token", r.jane.Email, mailin.Address(token[:len(token)-2]+"aa", "reply.acme.example"))
	refused("a made-up token", r.jane.Email, mailin.Address(alert.ReplyToken([]byte("other key"), 1), "reply.acme.example"))
	refused("another address", r.jane.Email, "jane@reply.acme.example")
	if replies := r.replies(c); len(replies) != 0 {
		t.Fatalf("refused mail posted %d replies", len(replies))
	}

	body := "Yes, we ship to Croatia within 3 days.\r\n\r\nOn Mon, 23 Nov 2026 at 10:00, Parley <parley@acme.example> wrote:\r\n> Maria commented on New pricing\r\n"
	if err := send(r.jane.Email, good, body); err != nil {
		t.Fatalf("the staff member's reply was refused: %v", err)
	}
	replies := r.replies(c)
	if len(replies) != 1 || !replies[0].Official || replies[0].StaffID != r.jane.ID ||
		replies[0].Body != "Yes, we ship to Croatia within 3 days." {
		t.Fatalf("replies = %+v", replies)
	}
	after, err := r.st.FindCommentByID(t.Context(), c.ID)
	if err != nil || after.ReplyState != comment.ReplyAnswered {
		t.Errorf("the comment is %s after the email reply", after.ReplyState)
	}
}

// replies returns the replies to a comment.
func (r *rig) replies(c comment.Comment) []comment.Comment {
	r.t.Helper()
	all, err := r.st.FindThreadComments(r.t.Context(), c.ThreadID)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []comment.Comment
	for _, x := range all {
		if x.ParentID == c.ID {
			out = append(out, x)
		}
	}
	return out
}
