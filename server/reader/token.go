package reader

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
)

// Confirmation tokens are random and kept only as their hash: the database
// alone does not let anyone confirm. They are single-use and expire.
func newToken() (token, hash string, err error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("reader: token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// wellFormed spares the database lookups of tokens we never made.
func wellFormed(token string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == 24
}

// Unsubscribe tokens are stateless: the subscription ID and an HMAC of it
// under the server's key. Such a link works as long as the key is kept,
// which RFC 8058 asks of one-click links, and needs no row per mail.
const macLen = 16

func unsubscribeToken(key []byte, subID int64) string {
	b := binary.BigEndian.AppendUint64(nil, uint64(subID))
	return base64.RawURLEncoding.EncodeToString(append(b, unsubscribeMAC(key, subID)...))
}

func unsubscribeMAC(key []byte, subID int64) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("parley reader unsubscribe\x00"))
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(subID)))
	return m.Sum(nil)[:macLen]
}

// checkUnsubscribeToken returns the subscription ID a token names if the
// token is ours.
func (s *Service) checkUnsubscribeToken(token string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 8+macLen {
		return 0, false
	}
	id := int64(binary.BigEndian.Uint64(b[:8]))
	if id <= 0 || len(s.key) == 0 || !hmac.Equal(b[8:], unsubscribeMAC(s.key, id)) {
		return 0, false
	}
	return id, true
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
