package markup_test

import (
	"testing"
	"unicode/utf8"

	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/markup/markuptest"
)

// FuzzRender checks that no input renders to HTML a browser could run. The
// seed corpus is the XSS and naughty-strings lists:
// go test ./server/markup -fuzz FuzzRender -fuzztime 60s
func FuzzRender(f *testing.F) {
	for _, name := range []string{"xss-payloads.txt", "blns.txt"} {
		for i, line := range markuptest.Corpus(f, name) {
			if i%7 == 0 {
				f.Add(line)
			}
		}
	}
	m := markup.New()
	f.Fuzz(func(t *testing.T, in string) {
		out := m.Render(in)
		if why := markuptest.Unsafe(out); why != "" {
			t.Fatalf("Render(%q) = %q: %s", in, out, why)
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("Render(%q) produced invalid UTF-8", in)
		}
	})
}
