package followup

import (
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name                    string
		in                      Request
		code                    comment.Code
		field, subject, message string
	}{
		{"fine", Request{Subject: "Your order", Message: "Hello\r\nthere ", Note: "n"}, "", "", "Your order", "Hello\nthere"},
		{"subject folded to one line", Request{Subject: " a\r\nBcc: x@y\t b ", Message: "m", Note: "n"}, "", "", "a Bcc: x@y b", "m"},
		{"greek, polish, croatian", Request{Subject: "Σχετικά με «Rover» — Zażółć, Đurđa", Message: "Γεια σας", Note: "n"}, "", "",
			"Σχετικά με «Rover» — Zażółć, Đurđa", "Γεια σας"},
		{"no subject", Request{Subject: "\u00a0", Message: "m", Note: "n"}, comment.Invalid, "subject", "", ""},
		{"long subject", Request{Subject: strings.Repeat("ś", MaxSubjectLength+1), Message: "m", Note: "n"}, comment.Invalid, "subject", "", ""},
		{"no message", Request{Subject: "s", Message: " \n", Note: "n"}, comment.Invalid, "message", "", ""},
		{"long message", Request{Subject: "s", Message: strings.Repeat("x", MaxMessageLength+1), Note: "n"}, comment.Invalid, "message", "", ""},
		{"no note", Request{Subject: "s", Message: "m", Note: "  "}, comment.Invalid, "note", "", ""},
		{"bad UTF-8", Request{Subject: "s\xff", Message: "m", Note: "n"}, comment.BadEncoding, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.in
			err := check(&r)
			if comment.CodeOf(err) != tt.code {
				t.Fatalf("code %q (%v), want %q", comment.CodeOf(err), err, tt.code)
			}
			if ce, ok := err.(*comment.Error); ok && ce.Field != tt.field {
				t.Errorf("field %q, want %q", ce.Field, tt.field)
			}
			if err == nil && (r.Subject != tt.subject || r.Message != tt.message) {
				t.Errorf("subject %q, message %q", r.Subject, r.Message)
			}
		})
	}
}

func TestDefaultSubjectAndQuote(t *testing.T) {
	if got := DefaultSubject(comment.Thread{Title: "Rover\nships", Path: "/p/"}); got != "Your comment on “Rover ships”" {
		t.Errorf("subject %q", got)
	}
	if got := DefaultSubject(comment.Thread{Path: "/p/"}); got != "Your comment on “/p/”" {
		t.Errorf("subject without title %q", got)
	}
	if got := quote("one\n\ntwo "); got != "> one\n>\n> two" {
		t.Errorf("quote %q", got)
	}
}

func TestHourlyLimit(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	s := New(Config{PerHour: 2, Now: func() time.Time { return now }})
	first, err := s.take(1)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(10 * time.Minute)
	if _, err := s.take(1); err != nil {
		t.Fatal(err)
	}
	_, err = s.take(1)
	ce, _ := err.(*comment.Error)
	if comment.CodeOf(err) != comment.RateLimited || ce.RetryAfter != 50*time.Minute {
		t.Fatalf("third: %v (retry after %v), want rate_limited for 50m", err, ce.RetryAfter)
	}
	if _, err := s.take(2); err != nil {
		t.Errorf("another staff member is limited too: %v", err)
	}
	s.giveBack(1, first) // that email did not go
	if _, err := s.take(1); err != nil {
		t.Errorf("after a failed send: %v", err)
	}
	now = now.Add(time.Hour) // both sends of 9:10 are an hour old
	if _, err := s.take(1); err != nil {
		t.Errorf("an hour later: %v", err)
	}
}
