package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries the signature of a webhook's body.
const SignatureHeader = "X-Parley-Signature"

// ErrBadSignature is returned by Verify for a missing, malformed, stale or
// wrong signature.
var ErrBadSignature = errors.New("bad webhook signature")

// Sign returns the value of the X-Parley-Signature header for body sent at
// t: "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<unix seconds>." + body keyed
// with secret>". The timestamp inside the MAC lets a receiver refuse
// replays of old deliveries.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte("."))
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks header, made by Sign, against body and secret. It refuses
// a timestamp more than tolerance away from now, in either direction, so a
// captured delivery cannot be replayed later. Several v1 values (during a
// secret rotation) pass when any one matches. Errors wrap ErrBadSignature.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch key {
		case "t":
			ts = value
		case "v1":
			if sig, err := hex.DecodeString(value); err == nil {
				sigs = append(sigs, sig)
			}
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return fmt.Errorf("webhook: verify: want t=<unix>,v1=<hex>: %w", ErrBadSignature)
	}
	if age := now.Sub(time.Unix(unix, 0)); age > tolerance || age < -tolerance {
		return fmt.Errorf("webhook: verify: timestamp %s off by %s: %w", time.Unix(unix, 0).UTC().Format(time.RFC3339),
			age.Round(time.Second), ErrBadSignature)
	}
	want := mac(secret, ts, body)
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			return nil
		}
	}
	return fmt.Errorf("webhook: verify: signature does not match: %w", ErrBadSignature)
}
