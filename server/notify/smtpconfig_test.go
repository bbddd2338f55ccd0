package notify_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/notify"
)

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		in      string
		want    notify.SMTPConfig
		wantErr bool
	}{
		{in: "smtp://user:pass@mail.example.com:587",
			want: notify.SMTPConfig{Host: "mail.example.com", Port: 587, Username: "user", Password: "pass", TLS: "starttls"}},
		{in: "smtp://user:pass@mail.example.com",
			want: notify.SMTPConfig{Host: "mail.example.com", Port: 587, Username: "user", Password: "pass", TLS: "starttls"}},
		{in: "smtps://user:pass@mail.example.com:465",
			want: notify.SMTPConfig{Host: "mail.example.com", Port: 465, Username: "user", Password: "pass", TLS: "tls"}},
		{in: "smtps://mail.example.com",
			want: notify.SMTPConfig{Host: "mail.example.com", Port: 465, TLS: "tls"}},
		{in: "smtps://mail.example.com?tls=tls",
			want: notify.SMTPConfig{Host: "mail.example.com", Port: 465, TLS: "tls"}},
		{in: "smtp://relay:25?tls=none",
			want: notify.SMTPConfig{Host: "relay", Port: 25, TLS: "none"}},
		{in: "smtp://relay?tls=none",
			want: notify.SMTPConfig{Host: "relay", Port: 25, TLS: "none"}},
		{in: "smtp://relay:2525?tls=starttls",
			want: notify.SMTPConfig{Host: "relay", Port: 2525, TLS: "starttls"}},
		{in: "smtp://alerts%40example.com:p%40ss%3Aw%2Frd@mail.example.com:587/",
			want: notify.SMTPConfig{Host: "mail.example.com", Port: 587, Username: "alerts@example.com", Password: "p@ss:w/rd",
				TLS: "starttls"}},
		{in: "smtp://u:p@localhost:1025?tls=none",
			want: notify.SMTPConfig{Host: "localhost", Port: 1025, Username: "u", Password: "p", TLS: "none"}},
		{in: "smtp://[::1]:25?tls=none&helo=parley.example&timeout=10s",
			want: notify.SMTPConfig{Host: "::1", Port: 25, TLS: "none", HelloName: "parley.example", Timeout: 10 * time.Second}},
		{in: "smtp://user:secret@mail.example.com?tls=none", wantErr: true}, // password in the clear
		{in: "smtps://mail.example.com?tls=none", wantErr: true},
		{in: "smtps://mail.example.com?tls=starttls", wantErr: true},
		{in: "smtp://mail.example.com?tls=ssl", wantErr: true},
		{in: "smtp://mail.example.com?port=25", wantErr: true},
		{in: "smtp://mail.example.com?timeout=soon", wantErr: true},
		{in: "smtp://mail.example.com:0", wantErr: true},
		{in: "smtp://mail.example.com:70000", wantErr: true},
		{in: "smtp://user:secret@mail.example.com:port", wantErr: true},
		{in: "smtp://mail.example.com/path", wantErr: true},
		{in: "smtp://", wantErr: true},
		{in: "http://mail.example.com", wantErr: true},
		{in: "mail.example.com:587", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := notify.ParseSMTPURL(tt.in)
			if tt.wantErr {
				if !errors.Is(err, notify.ErrInvalidConfig) || !notify.Permanent(err) {
					t.Errorf("ParseSMTPURL: %v, want ErrInvalidConfig", err)
				}
				if err != nil && strings.Contains(err.Error(), "secret") {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.Timeout == 0 {
				tt.want.Timeout = notify.DefaultSMTPTimeout
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
