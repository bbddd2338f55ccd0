package reader

import (
	"crypto/aes"
	"crypto/cipher"
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

// Unsubscribe tokens are stateless: one AES block under a key derived from
// the server's key, holding the subscription ID and 8 bytes of an HMAC of
// it. The link works as long as the key is kept, which RFC 8058 asks of
// one-click links, needs no row per mail, and does not show the ID (a
// sequence that would tell how many readers subscribed).
const macLen = 8

func unsubscribeToken(key []byte, subID int64) string {
	var block [aes.BlockSize]byte
	binary.BigEndian.PutUint64(block[:8], uint64(subID))
	copy(block[8:], unsubscribeMAC(key, subID))
	tokenCipher(key).Encrypt(block[:], block[:])
	return base64.RawURLEncoding.EncodeToString(block[:])
}

func unsubscribeMAC(key []byte, subID int64) []byte {
	return derive(key, "parley reader unsubscribe\x00", binary.BigEndian.AppendUint64(nil, uint64(subID)))[:macLen]
}

// tokenCipher is AES-128 under a key of its own, derived from key.
func tokenCipher(key []byte) cipher.Block {
	c, err := aes.NewCipher(derive(key, "parley reader unsubscribe cipher\x00", nil)[:16])
	if err != nil {
		panic(err) // a 16-byte key is always right
	}
	return c
}

func derive(key []byte, label string, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	m.Write(data)
	return m.Sum(nil)
}

// checkUnsubscribeToken returns the subscription ID a token names if the
// token is ours.
func (s *Service) checkUnsubscribeToken(token string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != aes.BlockSize || len(s.key) == 0 {
		return 0, false
	}
	tokenCipher(s.key).Decrypt(b, b)
	id := int64(binary.BigEndian.Uint64(b[:8]))
	if id <= 0 || !hmac.Equal(b[8:], unsubscribeMAC(s.key, id)) {
		return 0, false
	}
	return id, true
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
