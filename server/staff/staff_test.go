package staff

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := hashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q", h)
	}
	h2, _ := hashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	tests := []struct {
		name, password, hash string
		want                 bool
	}{
		{"right", "correct horse battery", h, true},
		{"wrong", "correct horse batterY", h, false},
		{"empty", "", h, false},
		{"dummy hash never matches", "", dummyHash, false},
		{"garbage hash", "x", "$argon2id$garbage", false},
		{"other algorithm", "x", "$2a$10$abcdefghijklmnopqrstuv", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkPassword(tt.password, tt.hash); got != tt.want {
				t.Errorf("checkPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{"Ana@Example.COM ": "ana@example.com", "bad": "", "a@b.c": "a@b.c", "Ana <a@b.c>": ""} {
		got, err := normalizeEmail(in)
		if (err != nil) != (want == "") || got != want {
			t.Errorf("normalizeEmail(%q) = %q, %v", in, got, err)
		}
	}
}
