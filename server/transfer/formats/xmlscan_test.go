package formats

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// scanTokens lists the tokens xmlScanner reads from in, text runs joined,
// as "<name a=v>", "</name>" and "text", and the error that ended them.
// With tiny set, the buffer starts at one byte and the reader gives a byte
// at a time, so that every token ends up split across refills.
func scanTokens(in []byte, tiny bool) ([]string, error) {
	var r io.Reader = bytes.NewReader(in)
	s := newXMLScanner(r)
	if tiny {
		s = &xmlScanner{r: iotest.OneByteReader(r), buf: make([]byte, 1), line: 1}
	}
	var out []string
	var text []byte
	for {
		err := s.next()
		if err == nil && s.kind == xmlText {
			text = append(text, s.chars...)
			continue
		}
		if len(text) > 0 {
			out, text = append(out, string(text)), nil
		}
		if err != nil {
			return out, err
		}
		switch s.kind {
		case xmlEOF:
			return out, nil
		case xmlStart:
			var b strings.Builder
			fmt.Fprintf(&b, "<%s", s.local)
			for _, a := range s.attrs {
				fmt.Fprintf(&b, " %s=%q", a.local, s.vals[a.start:a.end])
			}
			out = append(out, b.String()+">")
		case xmlEnd:
			out = append(out, "</"+string(s.local)+">")
		}
	}
}

// decodeTokens lists what encoding/xml's Token reads from in, as scanTokens
// does, with the Decoder set up as xmlStream sets it.
func decodeTokens(in []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(in))
	d.Entity = xml.HTMLEntity
	var out []string
	var text []byte
	for {
		tok, err := d.Token()
		switch t := tok.(type) {
		case xml.CharData:
			text = append(text, t...)
			continue
		case xml.Comment, xml.ProcInst, xml.Directive: // skipped: text around them is one run
			continue
		}
		if len(text) > 0 {
			out, text = append(out, string(text)), nil
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			var b strings.Builder
			fmt.Fprintf(&b, "<%s", t.Name.Local)
			for _, a := range t.Attr {
				fmt.Fprintf(&b, " %s=%q", a.Name.Local, a.Value)
			}
			out = append(out, b.String()+">")
		case xml.EndElement:
			out = append(out, "</"+t.Name.Local+">")
		}
	}
}

// sameTokens fails unless xmlScanner reads in as encoding/xml does: the
// same tokens, and an error if and only if encoding/xml has one (after
// the same tokens, but for the text just before it).
func sameTokens(t *testing.T, in []byte) {
	t.Helper()
	want, wantErr := decodeTokens(in)
	for _, tiny := range []bool{false, true} {
		got, err := scanTokens(in, tiny)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("tiny %v: err = %v, encoding/xml's %v\n%q", tiny, err, wantErr, in)
		}
		if err != nil { // the text before an error may be cut short on one side
			n := max(min(len(got), len(want))-1, 0)
			got, want = got[:n], want[:n]
		}
		if i := firstDiff(got, want); i >= 0 {
			t.Fatalf("tiny %v: token %d of %d (encoding/xml: %d)\n got %q\nwant %q", tiny, i, len(got), len(want),
				got[i:min(i+3, len(got))], want[i:min(i+3, len(want))])
		}
	}
}

// firstDiff returns the index of the first difference between a and b, or -1.
func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// xmlQuirks are inputs the scanner must read as encoding/xml does.
var xmlQuirks = []struct{ name, in string }{
	{"cdata", `<a><![CDATA[<p>x</p> & y]]></a>`},
	{"cdata holding ]]", `<a><![CDATA[x]]]]><![CDATA[>y]]]></a>`},
	{"cdata empty", `<a><![CDATA[]]></a>`},
	{"cdata next to text", `<a> x <![CDATA[y]]> z </a>`},
	{"entities", `<a>&lt;&gt;&amp;&apos;&quot; &nbsp;&eacute;&#233;&#xE9;&#x1F600;</a>`},
	{"entity unknown", `<a>&bogus;</a>`},
	{"entity without semicolon", `<a>&amp b</a>`},
	{"entity bare", `<a>AT&T</a>`},
	{"entity numeric empty", `<a>&#;</a>`},
	{"entity numeric too big", `<a>&#x110000;</a>`},
	{"entity numeric nul", `<a>&#0;</a>`},
	{"entity numeric surrogate", `<a>&#xD800;</a>`},
	{"entity hex upper", `<a>&#X41;</a>`},
	{"attributes in any order", `<post b='2' dsq:id="7" a = "&quot;x&quot;"></post>`},
	{"attribute with > and ]]>", `<a b="x>y]]>z"/>`},
	{"attribute with <", `<a b="x<y"/>`},
	{"attribute unquoted", `<a b=c/>`},
	{"attribute without value", `<a b/>`},
	{"attribute with CRLF", "<a b=\"x\r\ny\rz\"/>"},
	{"namespaces", `<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals"><dsq:x dsq:id="1"/></disqus>`},
	{"two colons", `<a:b:c/>`},
	{"self-closing", `<a><b/><c /><d x="1"/></a>`},
	{"comments", `<!-- head --><a><!----><!-- x - y -->t</a><!-- tail -->`},
	{"comment with --", `<a><!-- x -- y --></a>`},
	{"processing instructions", `<?xml version="1.0" encoding="UTF-8"?><?pi data?><a><?x?></a><?y z?>`},
	{"declaration, other encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`},
	{"declaration, other version", `<?xml version="1.1"?><a/>`},
	{"doctype", `<!DOCTYPE disqus [<!ENTITY x "y>"> <!-- c > -->]><a/>`},
	{"bom", "\uFEFF<?xml version=\"1.0\"?><a/>"},
	{"crlf text", "<a>x\r\ny\rz\r</a>"},
	{"crlf in cdata", "<a><![CDATA[x\r\ny]]></a>"},
	{"]]> in text", `<a>x]]>y</a>`},
	{"control character", "<a>x\x01y</a>"},
	{"invalid utf-8", "<a>x\xffy</a>"},
	{"non-ascii names", `<ação ñ="1">x</ação>`},
	{"bad name", `<1a/>`},
	{"mismatched end", `<a><b></a></b>`},
	{"stray end", `<a/></b>`},
	{"end with space", `<a></a  >`},
	{"end with junk", `<a></a x>`},
	{"truncated mid-tag", `<a><b c="1`},
	{"truncated in a name", `<a><bb`},
	{"truncated in cdata", `<a><![CDATA[x]]`},
	{"truncated in a comment", `<a><!-- x -`},
	{"truncated in an entity", `<a>&am`},
	{"truncated after text", `<a>x`},
	{"empty", ``},
	{"text only", `just text`},
	{"two roots", `<a/><b/>`},
}

func TestXMLScannerQuirks(t *testing.T) {
	for _, tt := range xmlQuirks {
		t.Run(tt.name, func(t *testing.T) { sameTokens(t, []byte(tt.in)) })
	}
}

func TestXMLScannerFixtures(t *testing.T) {
	sameTokens(t, file("disqus.xml")(t))
	sameTokens(t, file("wordpress.xml")(t))
	sameTokens(t, disqusExport(t, 64<<10))
}

// TestXMLScannerLines checks that errors name the line they are on, as
// encoding/xml's do.
func TestXMLScannerLines(t *testing.T) {
	tests := []struct {
		in   string
		line int
	}{
		{"<a>\n<b>\n</c>", 3},
		{"<a>\n<b c=\"\n\n1\"\n", 5},
		{"<a>\n\n&bogus;</a>", 3},
		{"<a>\n<![CDATA[\n\nx", 4},
		{"<a>\r\n<b>x\x01</b></a>", 2},
	}
	for _, tt := range tests {
		_, err := scanTokens([]byte(tt.in), false)
		_, xerr := decodeTokens([]byte(tt.in))
		var syn *xmlSyntaxError
		var xsyn *xml.SyntaxError
		if !errors.As(err, &syn) || !errors.As(xerr, &xsyn) {
			t.Errorf("%q: err = %v, encoding/xml's %v: want syntax errors", tt.in, err, xerr)
			continue
		}
		if syn.Line != tt.line || xsyn.Line != tt.line {
			t.Errorf("%q: line %d, encoding/xml's %d, want %d", tt.in, syn.Line, xsyn.Line, tt.line)
		}
	}
}

// FuzzXMLScanner checks that the scanner reads whatever it is given as
// encoding/xml does, starting from exports' shapes and the quirks above.
func FuzzXMLScanner(f *testing.F) {
	f.Add(file("disqus.xml")(f))
	f.Add(disqusExport(f, 4<<10))
	for _, q := range xmlQuirks {
		f.Add([]byte(q.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 64<<10 {
			return
		}
		sameTokens(t, in)
	})
}
