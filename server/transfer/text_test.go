package transfer

import "testing"

func TestImportFromHTML(t *testing.T) {
	tests := []struct{ name, in, html, text string }{
		{"paragraphs", "<p>One\n  two</p><p>Three</p>", "<p>One\n  two</p><p>Three</p>", "One two\n\nThree"},
		{"breaks and entities", "a<br/>b &amp; c &lt;d&gt; &#39;e&#39;", "a<br/>b &amp; c &lt;d&gt; &#39;e&#39;", "a\nb & c <d> 'e'"},
		{"inline tags", "x <strong>y</strong> <em>z</em>.", "x <strong>y</strong> <em>z</em>.", "x y z."},
		{"lists", "<ul><li>a</li><li>b</li></ul>after", "<ul><li>a</li><li>b</li></ul>after", "- a\n- b\n\nafter"},
		{"pre keeps spaces", "<pre><code>a  b\n  c</code></pre>", "<pre><code>a  b\n  c</code></pre>", "a  b\n  c"},
		{"links get rel", `<a href="https://x.example/">x</a>`,
			`<a href="https://x.example/" rel="nofollow ugc noopener" target="_blank">x</a>`, "x"},
		{"rel replaced", `<a href="mailto:a@b.example" rel="nofollow ugc noopener" target="_blank">m</a>`,
			`<a href="mailto:a@b.example" rel="nofollow ugc noopener" target="_blank">m</a>`, "m"},
		{"blank lines collapse", "<p>a</p>\n\n<p></p><div>b</div>", "<p>a</p>\n\n<p></p><div>b</div>", "a\n\nb"},
		{"escaped markup stays text", "<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>",
			"<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>", "a <script>alert(1)</script> b"},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html, text := fromHTML(tt.in)
			if html != tt.html || text != tt.text {
				t.Errorf("fromHTML(%q) =\n %q, %q\nwant\n %q, %q", tt.in, html, text, tt.html, tt.text)
			}
		})
	}
}

func TestImportURLMap(t *testing.T) {
	maps := []URLMap{{Old: "http://old.example/blog", New: "https://new.example"}, {Old: "http://old.example", New: "https://new.example"}}
	tests := []struct{ name, in, want string }{
		{"path prefix first", "http://old.example/blog/post/", "https://new.example/post/"},
		{"host", "http://old.example/about/", "https://new.example/about/"},
		{"case of the host", "HTTP://OLD.example/x", "https://new.example/x"},
		{"no match", "https://other.example/x", "https://other.example/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mapURL(maps, tt.in); got != tt.want {
				t.Errorf("mapURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if m, err := ParseURLMap(" http://a.example = https://b.example "); err != nil || m != (URLMap{"http://a.example", "https://b.example"}) {
		t.Errorf("ParseURLMap = %+v, %v", m, err)
	}
	for _, bad := range []string{"", "x", "=y", "x="} {
		if _, err := ParseURLMap(bad); err == nil {
			t.Errorf("ParseURLMap(%q) accepted", bad)
		}
	}
}
