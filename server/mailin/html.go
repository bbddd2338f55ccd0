package mailin

import (
	"html"
	"strings"
)

// htmlText turns an HTML mail body into plain text: tags are dropped, block
// elements end lines, <blockquote> contents become "> " lines (so that
// StripQuoted removes them like plain-text quotes), <hr> becomes a line of
// underscores (Outlook's separator above a quoted message), and entities are
// unescaped. The contents of <head>, <style>, <script> and <title> are
// dropped. It is a text extractor, not a sanitiser: the result is Markdown
// source and is rendered like any other comment.
func htmlText(src string) string {
	var w htmlWriter
	for src != "" {
		i := strings.IndexByte(src, '<')
		if i < 0 {
			w.text(src)
			break
		}
		w.text(src[:i])
		src = src[i:]
		if len(src) < 2 || !isTagStart(src[1]) {
			w.text("<")
			src = src[1:]
			continue
		}
		if strings.HasPrefix(src, "<!--") {
			end := strings.Index(src[4:], "-->")
			if end < 0 {
				break
			}
			src = src[4+end+3:]
			continue
		}
		tag, rest := cutTag(src)
		src = rest
		name, closing := tagName(tag)
		if !closing && skipContents(name) {
			src = skipElement(src, name)
			continue
		}
		w.tag(name, closing)
	}
	w.flush(false)
	return strings.Trim(w.out.String(), "\n")
}

// skipContents reports whether an element's contents are not text to read.
func skipContents(name string) bool {
	switch name {
	case "head", "style", "script", "title":
		return true
	}
	return false
}

// isBlock reports whether an element ends the line before and after it.
func isBlock(name string) bool {
	switch name {
	case "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
		"dl", "dt", "dd", "section", "article", "header", "footer", "center", "address", "body":
		return true
	}
	return false
}

func isTagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || isLetter(c)
}

func isLetter(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// cutTag splits off the tag at the start of src, honouring quoted attribute
// values that may hold a ">".
func cutTag(src string) (tag, rest string) {
	var quote byte
	for i := 1; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return src[:i+1], src[i+1:]
		}
	}
	return src, ""
}

// tagName returns the lower-case element name of a tag and whether it is a
// closing tag. Declarations such as <!DOCTYPE> give "!".
func tagName(tag string) (name string, closing bool) {
	s := strings.TrimPrefix(tag, "<")
	if s != "" && (s[0] == '!' || s[0] == '?') {
		return "!", false
	}
	s, closing = strings.CutPrefix(s, "/")
	end := strings.IndexAny(s, " \t\r\n/>")
	if end < 0 {
		end = len(s)
	}
	return strings.ToLower(s[:end]), closing
}

// skipElement returns src after the closing tag of name.
func skipElement(src, name string) string {
	lower := strings.ToLower(src)
	for i := 0; ; {
		j := strings.Index(lower[i:], "</"+name)
		if j < 0 {
			return ""
		}
		start := i + j
		i = start + 2 + len(name)
		if i == len(src) || !isLetter(src[i]) { // </head, not </header
			_, rest := cutTag(src[start:])
			return rest
		}
	}
}

// htmlWriter builds the text of an HTML body line by line.
type htmlWriter struct {
	out   strings.Builder
	line  strings.Builder
	quote int // depth of <blockquote>
	pre   int // depth of <pre>
	// blank asks for a blank line before the next line, at quote depth
	// blankQuote; it is dropped at the end.
	blank      bool
	blankQuote int
}

// tag handles an opening or closing tag.
func (w *htmlWriter) tag(name string, closing bool) {
	switch {
	case name == "br":
		w.flush(true)
	case name == "p":
		w.paragraph()
	case name == "hr":
		w.flush(false)
		w.emit("________________________________")
	case name == "blockquote":
		w.paragraph()
		if closing && w.quote > 0 {
			w.quote--
		} else if !closing {
			w.quote++
		}
	case name == "pre":
		w.flush(false)
		if closing && w.pre > 0 {
			w.pre--
		} else if !closing {
			w.pre++
		}
	case isBlock(name):
		w.flush(false)
	}
}

// text adds character data: whitespace collapses outside <pre>.
func (w *htmlWriter) text(s string) {
	if w.pre > 0 {
		lines := strings.Split(normalizeNewlines(html.UnescapeString(s)), "\n")
		for i, l := range lines {
			if i > 0 {
				w.flush(true)
			}
			w.line.WriteString(l)
		}
		return
	}
	s = strings.ReplaceAll(html.UnescapeString(collapseSpace(s)), "\u00a0", " ")
	if l := w.line.String(); l == "" || strings.HasSuffix(l, " ") {
		s = strings.TrimPrefix(s, " ")
	}
	w.line.WriteString(s)
}

// collapseSpace turns each run of HTML white space into one space.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\r', '\f':
			if !space {
				b.WriteByte(' ')
			}
			space = true
		default:
			b.WriteByte(c)
			space = false
		}
	}
	return b.String()
}

// flush ends the current line. A soft end (hard false) writes nothing for
// an empty line; a hard one (<br>) always ends a line.
func (w *htmlWriter) flush(hard bool) {
	l := w.line.String()
	if w.pre == 0 {
		l = strings.TrimRight(l, " ")
	}
	w.line.Reset()
	if l == "" && !hard {
		return
	}
	w.emit(l)
}

// paragraph ends the line and asks for one blank line before the next
// one, as Markdown needs between paragraphs.
func (w *htmlWriter) paragraph() {
	w.flush(false)
	if w.out.Len() > 0 && !w.blank {
		w.blank = true
		w.blankQuote = w.quote
	}
}

// emit writes one line with its quote prefix, after the blank line that
// paragraph asked for.
func (w *htmlWriter) emit(l string) {
	if w.blank {
		// The blank line belongs to the shallower of the two blocks it
		// separates.
		w.out.WriteString(quotePrefix(min(w.quote, w.blankQuote), "") + "\n")
		w.blank = false
	}
	w.out.WriteString(quotePrefix(w.quote, l) + l + "\n")
}

// quotePrefix returns the "> " marks of a line at quote depth. The depth
// shown is capped, so that thousands of nested <blockquote> tags cannot
// make the text grow quadratically.
func quotePrefix(depth int, line string) string {
	p := strings.Repeat("> ", min(depth, maxDepth))
	if line == "" {
		p = strings.TrimRight(p, " ")
	}
	return p
}
