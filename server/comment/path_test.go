package comment

import "testing"

func TestThreadPath(t *testing.T) {
	tests := []struct {
		name, in, key, abs, code string
	}{
		{"absolute", "https://Blog.Example.com/post/?utm=1#c3", "/post/", "https://blog.example.com/post/", ""},
		{"index.html", "https://blog.example.com/post/index.html", "/post/", "https://blog.example.com/post/", ""},
		{"index.htm at root", "http://x.test/index.htm", "/", "http://x.test/", ""},
		{"no trailing slash kept", "/post", "/post", "", ""},
		{"dot segments", "/a/./b/../c/", "/a/c/", "", ""},
		{"host only", "https://x.test", "/", "https://x.test/", ""},
		{"percent-encoded unicode", "https://x.test/%CE%B3%CE%B5%CE%B9%CE%AC/", "/γειά/", "https://x.test/%CE%B3%CE%B5%CE%B9%CE%AC/", ""},
		{"raw unicode is the same thread", "/γειά/", "/γειά/", "", ""},
		{"empty", "", "", "", "invalid"},
		{"relative", "post/", "", "", "invalid"},
		{"javascript", "javascript:alert(1)", "", "", "invalid"},
		{"no host", "https:///x", "", "", "invalid"},
		{"encoded NUL", "/a%00b/", "", "", "invalid"},
		{"bad utf-8", "/\xff", "", "", "bad_encoding"},
		{"too long", "/" + string(make([]byte, MaxURLLength)), "", "", "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, abs, err := ThreadPath(tt.in)
			if got := string(CodeOf(err)); got != tt.code {
				t.Fatalf("ThreadPath(%q) code = %q, want %q (err %v)", tt.in, got, tt.code, err)
			}
			if key != tt.key || abs != tt.abs {
				t.Errorf("ThreadPath(%q) = %q, %q; want %q, %q", tt.in, key, abs, tt.key, tt.abs)
			}
		})
	}
}
