package web

import (
	"bytes"
	"path"
)

// slim drops what only a developer reads from a script or style sheet
// before it is served: comment-only lines and indentation of JavaScript,
// comments and indentation of CSS. Lines stay lines (no statement is
// joined to another, so automatic semicolons are untouched) and nothing
// inside a line changes. It relies on what our assets hold: no template
// literal and no CSS string spans lines or holds "/*". Other files are
// returned as they are.
func slim(name string, body []byte) []byte {
	switch path.Ext(name) {
	case ".js":
		return keepLines(body, func(line []byte) bool { return !bytes.HasPrefix(line, []byte("//")) })
	case ".css":
		return keepLines(dropCSSComments(body), func([]byte) bool { return true })
	}
	return body
}

// keepLines trims each line and keeps the non-empty ones keep accepts.
func keepLines(body []byte, keep func([]byte) bool) []byte {
	out := make([]byte, 0, len(body))
	for line := range bytes.Lines(body) {
		line = bytes.TrimSpace(line)
		if len(line) > 0 && keep(line) {
			out = append(append(out, line...), '\n')
		}
	}
	return out
}

// dropCSSComments removes /* … */ comments; an unclosed one runs to the end.
func dropCSSComments(css []byte) []byte {
	out := make([]byte, 0, len(css))
	for {
		i := bytes.Index(css, []byte("/*"))
		if i < 0 {
			return append(out, css...)
		}
		out = append(out, css[:i]...)
		j := bytes.Index(css[i+2:], []byte("*/"))
		if j < 0 {
			return out
		}
		css = css[i+2+j+2:]
	}
}
