package ack_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/ack"
)

func TestCleanText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Thanks, {name}!", "Thanks, {name}!"},
		{"lines and tabs become spaces", "Thanks!\r\n\tWe answer {target}.  ", "Thanks! We answer {target}."},
		{"control and format characters go", "Th\x00an\u200bks\u202e!\x1b", "Thanks!"},
		{"markup stays text", "<b>Thanks</b> {name}", "<b>Thanks</b> {name}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ack.CleanText(tt.in); got != tt.want {
				t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct{ name, in, wantErr string }{
		{"every placeholder", "Thanks, {name}! We answer {target}: {expected}.", ""},
		{"none", "Thanks!", ""},
		{"empty", "", ""},
		{"unknown placeholder", "Thanks, {author}!", "{author} is not a placeholder"},
		{"wrong case", "Thanks, {Name}!", "{Name} is not a placeholder"},
		{"spaces inside", "Thanks, { name }!", "{ name } is not a placeholder"},
		{"unclosed", "Thanks, {name", "braces only go around a placeholder"},
		{"stray closing brace", "Thanks} {name}", "braces only go around a placeholder"},
		{"nested", "{{name}}", "{{name} is not a placeholder"},
		{"at the limit", strings.Repeat("é", ack.MaxTextLength), ""},
		{"too long", strings.Repeat("é", ack.MaxTextLength+1), "at most 500 fit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ack.CheckText(tt.in)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("CheckText(%q) = %v, want nil", tt.in, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("CheckText(%q) = %v, want an error with %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestCleanTexts(t *testing.T) {
	c := ack.New()
	got, err := c.CleanTexts(map[string]string{"en": " Thanks,\n{name}! ", "pl": "  ", "el": "Ευχαριστούμε! {expected}"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"en": "Thanks, {name}!", "el": "Ευχαριστούμε! {expected}"}
	if len(got) != len(want) || got["en"] != want["en"] || got["el"] != want["el"] {
		t.Errorf("CleanTexts = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		name  string
		in    map[string]string
		lang  string
		error string
	}{
		{"bad placeholder", map[string]string{"en": "ok", "hr": "Hvala {ime}!"}, "hr", "{ime} is not a placeholder"},
		{"unknown language", map[string]string{"it": "Grazie!"}, "it", "not a language the embed speaks"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CleanTexts(tt.in)
			var te *ack.TextError
			if !errors.As(err, &te) || te.Lang != tt.lang || !strings.Contains(te.Msg, tt.error) {
				t.Errorf("CleanTexts(%q) = %v, want a TextError for %s with %q", tt.in, err, tt.lang, tt.error)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c := ack.New()
	for _, lang := range ack.Languages() {
		d := c.Default(lang)
		if err := ack.CheckText(d); err != nil {
			t.Errorf("%s default: %v", lang, err)
		}
		for _, p := range ack.Placeholders() {
			if !strings.Contains(d, p) {
				t.Errorf("%s default %q lacks %s", lang, d, p)
			}
		}
		if lang != "en" && d == c.Default("en") {
			t.Errorf("%s default is the English one", lang)
		}
	}
	if c.Lang("PL-pl") != "pl" || c.Lang("sr_Latn") != "en" || c.Lang("") != "en" {
		t.Error("Lang does not map tags to languages")
	}
}
