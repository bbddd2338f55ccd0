package web

import (
	"io/fs"
	"strings"
	"testing"

	parleyembed "github.com/parleyhq/parley/embed"
	"github.com/parleyhq/parley/themes"
)

func TestSlim(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"a.js", "// note\n  const a = 1; // stays\n\n    f(`x // y`)\n", "const a = 1; // stays\nf(`x // y`)\n"},
		{"a.js", "const u = 'http://x';\n", "const u = 'http://x';\n"},
		{"a.css", "/* one\n two */\n.a{color:red} /* x */ .b{}\n  .c{}\n", ".a{color:red}  .b{}\n.c{}\n"},
		{"a.css", ".a{}/* open", ".a{}\n"},
		{"a.json", "  {\"a\": 1}\n", "  {\"a\": 1}\n"},
	} {
		if got := string(slim(c.name, []byte(c.in))); got != c.want {
			t.Errorf("slim(%s, %q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// TestSlimAssumptions checks what slim relies on in our own files: no
// template literal or string spans lines, and no CSS string holds "/*".
func TestSlimAssumptions(t *testing.T) {
	for _, f := range []struct {
		fsys fs.FS
		name string
	}{{parleyembed.FS, "embed.js"}, {themes.FS, "base.css"}, {themes.FS, "auto.css"}, {themes.FS, "light.css"}, {themes.FS, "dark.css"}} {
		b, err := fs.ReadFile(f.fsys, f.name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Count(line, "`")%2 != 0 {
				t.Errorf("%s:%d: a template literal spans lines: %q", f.name, i+1, line)
			}
			if strings.HasSuffix(f.name, ".css") && (strings.Contains(line, `"/*`) || strings.Contains(line, `'/*`)) {
				t.Errorf("%s:%d: a CSS string holds /*: %q", f.name, i+1, line)
			}
		}
		if len(slim(f.name, b)) >= len(b) {
			t.Errorf("%s: slim saved nothing", f.name)
		}
	}
}

// Slim is slim for the external tests, which compare served assets with
// the files.
var Slim = slim
