package transfer

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parleyhq/parley/server/markup"
)

// fromHTML takes sanitised HTML from another system and returns it with
// the link attributes of Parley's own comments (rel, and a new tab), and
// as plain text: tags stripped, entities unescaped, white space folded as a
// browser would, paragraphs as blank lines and list items as "- " lines.
// The text is what Parley keeps as the comment's source, for search and
// for editing.
func fromHTML(clean string) (htm, text string) {
	var out, txt strings.Builder
	out.Grow(len(clean) + 64)
	txt.Grow(len(clean))
	z := html.NewTokenizer(strings.NewReader(clean))
	pre := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break // io.EOF: the input is a string, so nothing else can fail
		}
		// The sanitiser's output is kept byte for byte, but for links.
		// Raw must be written before Text or TagName: they rewrite the
		// bytes it points to in place.
		raw := z.Raw()
		if tt == html.StartTagToken && isLink(raw) {
			tok := z.Token()
			setLinkRel(&tok)
			out.WriteString(tok.String())
			continue
		}
		out.Write(raw)
		switch tt {
		case html.TextToken:
			if pre > 0 {
				txt.Write(z.Text())
			} else {
				writeFolded(&txt, z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); a {
			case atom.Pre:
				pre++
				blankLine(&txt)
			case atom.Br:
				txt.WriteByte('\n')
			case atom.Li:
				newLine(&txt)
				txt.WriteString("- ")
			default:
				if isBlock(a) {
					blankLine(&txt)
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Pre && pre > 0 {
				pre--
			}
			if isBlock(a) || a == atom.Pre {
				blankLine(&txt)
			}
		}
	}
	return out.String(), tidyText(txt.String())
}

// isLink reports whether a start tag is <a …>.
func isLink(raw []byte) bool {
	return len(raw) > 2 && raw[0] == '<' && (raw[1] == 'a' || raw[1] == 'A') &&
		(raw[2] == ' ' || raw[2] == '>' || raw[2] == '/' || raw[2] == '\t' || raw[2] == '\n')
}

// setLinkRel gives a link to a web or mail address Parley's rel and
// target, as markup does for links in Markdown.
func setLinkRel(tok *html.Token) {
	var href string
	attrs := tok.Attr[:0]
	for _, a := range tok.Attr {
		switch a.Key {
		case "rel", "target":
			continue
		case "href":
			href = a.Val
		}
		attrs = append(attrs, a)
	}
	tok.Attr = attrs
	lower := strings.ToLower(href)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "mailto:") {
		tok.Attr = append(tok.Attr, html.Attribute{Key: "rel", Val: markup.LinkRel}, html.Attribute{Key: "target", Val: "_blank"})
	}
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Blockquote, atom.Ul, atom.Ol, atom.Hr, atom.Table, atom.Tr,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// writeFolded writes text with each run of white space as one space, as a
// browser shows it outside <pre>. It works on bytes: HTML's white space is
// ASCII, which no byte of a multi-byte UTF-8 character can be.
func writeFolded(b *strings.Builder, s []byte) {
	start, space := -1, false
	sep := func() {
		if space && b.Len() > 0 && !endsWith(b, '\n') && !endsWith(b, ' ') {
			b.WriteByte(' ')
		}
		space = false
	}
	for i, c := range s {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			if start >= 0 {
				b.Write(s[start:i])
				start = -1
			}
			space = true
			continue
		}
		if start < 0 {
			sep()
			start = i
		}
	}
	if start >= 0 {
		b.Write(s[start:])
	}
	sep()
}

func endsWith(b *strings.Builder, c byte) bool {
	s := b.String()
	return len(s) > 0 && s[len(s)-1] == c
}

func newLine(b *strings.Builder) {
	if b.Len() > 0 && !endsWith(b, '\n') {
		b.WriteByte('\n')
	}
}

func blankLine(b *strings.Builder) {
	newLine(b)
	s := b.String()
	if len(s) > 0 && !strings.HasSuffix(s, "\n\n") {
		b.WriteByte('\n')
	}
}

// tidyText trims spaces at the ends of lines, keeps at most one blank line
// in a row, and trims the whole.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " ")
		if strings.TrimSpace(l) == "" {
			blank++
			if blank > 1 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
