package notify_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/notify"
)

func TestVerify(t *testing.T) {
	body := []byte(`{"kind":"new_comment"}`)
	sig := notify.Sign("key", now, body)
	tests := []struct {
		name, secret, header string
		body                 []byte
		at                   time.Time
		ok                   bool
	}{
		{name: "valid", secret: "key", header: sig, body: body, at: now, ok: true},
		{name: "within tolerance", secret: "key", header: sig, body: body, at: now.Add(4 * time.Minute), ok: true},
		{name: "tampered body", secret: "key", header: sig, body: []byte(`{"kind":"digest"}`), at: now},
		{name: "wrong secret", secret: "other", header: sig, body: body, at: now},
		{name: "old timestamp", secret: "key", header: sig, body: body, at: now.Add(6 * time.Minute)},
		{name: "future timestamp", secret: "key", header: sig, body: body, at: now.Add(-6 * time.Minute)},
		{name: "timestamp changed", secret: "key", body: body, at: now,
			header: fmt.Sprintf("t=%d,%s", now.Unix()+1, sig[strings.Index(sig, "v1="):])},
		{name: "second v1 matches", secret: "key", header: sig[:strings.Index(sig, "v1=")] + "v1=00ff," + sig[strings.Index(sig, "v1="):],
			body: body, at: now, ok: true},
		{name: "empty", secret: "key", body: body, at: now},
		{name: "no v1", secret: "key", header: "t=1", body: body, at: now},
		{name: "garbage", secret: "key", header: "t=x,v1=zz", body: body, at: now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := notify.Verify(tt.secret, tt.header, tt.body, tt.at, 5*time.Minute)
			if tt.ok != (err == nil) || (err != nil && !errors.Is(err, notify.ErrBadSignature)) {
				t.Errorf("Verify: %v, want ok=%t", err, tt.ok)
			}
		})
	}
}
