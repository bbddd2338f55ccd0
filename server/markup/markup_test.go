package markup_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/markup/markuptest"
)

func TestRender(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"emphasis", "**b** _i_ ~~s~~", "<p><strong>b</strong> <em>i</em> <del>s</del></p>\n"},
		{"link gets rel", "[x](https://a.example)",
			`<p><a href="https://a.example" rel="nofollow ugc noopener" target="_blank">x</a></p>` + "\n"},
		{"bare url linked", "see https://a.example/x",
			`<p>see <a href="https://a.example/x" rel="nofollow ugc noopener" target="_blank">https://a.example/x</a></p>` + "\n"},
		{"raw html dropped", "a <b onclick=x>b</b> <script>alert(1)</script>", "<p>a b alert(1)</p>\n"},
		{"javascript link becomes text", "[x](javascript:alert(1))", "<p>x</p>\n"},
		{"relative link becomes text", "[x](/admin)", "<p>x</p>\n"},
		{"image becomes link", "![cat](https://a.example/cat.png)",
			`<p><a href="https://a.example/cat.png" rel="nofollow ugc noopener" target="_blank">cat</a></p>` + "\n"},
		{"code block language", "```go\nx := 1\n```", "<pre><code class=\"language-go\">x := 1\n</code></pre>\n"},
		{"escaped text", "1 < 2 & 3 > 2", "<p>1 &lt; 2 &amp; 3 &gt; 2</p>\n"},
		{"greek", "Καλημέρα *κόσμε*", "<p>Καλημέρα <em>κόσμε</em></p>\n"},
		{"empty", "", ""},
	}
	m := markup.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.Render(tt.in); got != tt.want {
				t.Errorf("Render(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestRenderCorpora runs every line of the XSS and naughty-strings corpora
// through the renderer, alone and inside Markdown link and code contexts.
func TestRenderCorpora(t *testing.T) {
	m := markup.New()
	for _, name := range []string{"xss-payloads.txt", "blns.txt"} {
		lines := markuptest.Corpus(t, name)
		if len(lines) < 500 {
			t.Fatalf("%s: only %d lines read", name, len(lines))
		}
		for i, line := range lines {
			for _, in := range []string{line, "[x](" + line + ")", "<" + line + ">", "> " + line + "\n\n- " + line} {
				if why := markuptest.Unsafe(m.Render(in)); why != "" {
					t.Errorf("%s:%d: %q renders unsafe HTML: %s", name, i+1, in, why)
				}
			}
		}
	}
}

func TestUnsafeDetects(t *testing.T) {
	// The checker itself must catch what it claims to, or the corpus test
	// above proves nothing.
	for _, bad := range []string{
		"<script>x</script>", `<a href="javascript:x">a</a>`, `<a href=" JaVa&#x09;Script:x">a</a>`,
		`<p onclick="x">a</p>`, `<img src=x>`, `<a href="data:text/html,x">a</a>`, `<svg><a/></svg>`,
	} {
		if markuptest.Unsafe(bad) == "" {
			t.Errorf("Unsafe(%q) = \"\", want a reason", bad)
		}
	}
	if why := markuptest.Unsafe(`<p><a href="https://x.example" rel="nofollow">ok</a></p>`); why != "" {
		t.Errorf("Unsafe(safe) = %q", why)
	}
	if !strings.Contains(markup.LinkRel, "ugc") {
		t.Error("LinkRel lacks ugc")
	}
}

func BenchmarkRender(b *testing.B) {
	m := markup.New()
	src := "Thanks for the post! I tried **Rover** in our warehouse and [wrote about it](https://blog.example/rover).\n\n" +
		"- fast\n- quiet\n\n> Does it work in the cold?\n\nYes, down to -30 °C."
	for b.Loop() {
		m.Render(src)
	}
}
