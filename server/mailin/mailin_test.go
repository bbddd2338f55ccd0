package mailin

import (
	"strings"
	"testing"
)

func TestAddress(t *testing.T) {
	tests := []struct {
		name, addr string
		wantToken  string
		wantOK     bool
	}{
		{"plain", "reply+" + token + "@" + testDomain, token, true},
		{"brackets", "<reply+" + token + "@" + testDomain + ">", token, true},
		{"case", "REPLY+" + strings.ToUpper(token) + "@REPLY.EXAMPLE.COM", token, true},
		{"root dot", "reply+" + token + "@" + testDomain + ".", token, true},
		{"other domain", "reply+" + token + "@example.com", "", false},
		{"subdomain", "reply+" + token + "@x." + testDomain, "", false},
		{"no token", "reply@" + testDomain, "", false},
		{"empty token", "reply+@" + testDomain, "", false},
		{"short token", "reply+abc@" + testDomain, "", false},
		{"long token", "reply+" + strings.Repeat("a", 65) + "@" + testDomain, "", false},
		{"bad character", "reply+" + token + "-x@" + testDomain, "", false},
		{"second plus", "reply+" + token + "+x@" + testDomain, "", false},
		{"other prefix", "rep+" + token + "@" + testDomain, "", false},
		{"no domain", "reply+" + token, "", false},
		{"unclosed bracket", "<reply+" + token + "@" + testDomain, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseAddress(tt.addr, testDomain)
			if got != tt.wantToken || ok != tt.wantOK {
				t.Errorf("ParseAddress(%q) = %q, %v; want %q, %v", tt.addr, got, ok, tt.wantToken, tt.wantOK)
			}
		})
	}
	if got, ok := ParseAddress(Address(token, testDomain), testDomain); !ok || got != token {
		t.Errorf("ParseAddress(Address(…)) = %q, %v", got, ok)
	}
}
