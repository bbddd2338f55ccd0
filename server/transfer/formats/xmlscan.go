package formats

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// xmlScanner reads XML token by token as encoding/xml's Decoder.Token does
// in its strict mode with HTML entities (the same tokens, and an error
// wherever the Decoder fails), but works on a buffer of the file rather
// than a byte at a time: on a Disqus export it took a fifth of the CPU.
// Namespaces are not resolved: a name is its local part, which is all the
// Disqus reader looks at. Comments, processing instructions and
// directives are checked and skipped.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, lim int   // buf[pos:lim] is read and not yet scanned
	eof      bool  // r has no more
	rerr     error // r's error, other than io.EOF
	line     int   // the line of buf[pos], from 1

	// The token just read.
	kind  xmlKind
	qname []byte // a start or end element's name, prefix and all
	local []byte // its local part
	attrs []xmlAttr
	vals  []byte // the start element's attribute values, back to back
	chars []byte // a text's decoded characters
	plain []byte // scratch space for text with entities or CRs
	acc   []byte // the text of an element, for textBytes

	closing bool   // the start just read was <x/>: its end comes next
	open    []byte // the names of the open elements, back to back
	opens   []int  // where each starts in open
}

type xmlKind uint8

const (
	xmlEOF xmlKind = iota
	xmlStart
	xmlEnd
	xmlText
	xmlOther // a comment, processing instruction or directive
)

// xmlAttr is an attribute of the start element just read.
type xmlAttr struct {
	local      []byte
	start, end int // the value, in vals
}

// errMore says a token goes on past the bytes read so far.
var errMore = errors.New("xml: need more input")

// xmlSyntaxError is malformed XML at a line.
type xmlSyntaxError struct {
	Line int
	Msg  string
}

func (e *xmlSyntaxError) Error() string { return "XML syntax error: " + e.Msg }

// scanBuffer is the first size of the buffer; it grows to hold the
// largest token.
const scanBuffer = 64 << 10

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, scanBuffer), line: 1}
}

// attr returns the value of the attribute of the start element just read
// with this local name, trimmed.
func (s *xmlScanner) attr(local string) string {
	for _, a := range s.attrs {
		if string(a.local) == local {
			return string(bytes.TrimSpace(s.vals[a.start:a.end]))
		}
	}
	return ""
}

// next reads the next start element, end element or text. Its slices are
// good until the call after.
func (s *xmlScanner) next() error {
	if s.closing {
		s.closing = false
		s.kind, s.attrs = xmlEnd, s.attrs[:0]
		s.pop()
		return nil
	}
	for {
		n, err := s.token(s.buf[s.pos:s.lim])
		switch {
		case err == errMore && s.rerr != nil:
			return s.rerr
		case err == errMore && s.eof:
			return s.errAt(s.lim, "unexpected EOF")
		case err == errMore:
			s.fill()
			continue
		case err != nil:
			return err
		}
		if s.kind == xmlEnd {
			if err := s.popMatching(s.pos); err != nil {
				return err
			}
		}
		s.advance(n)
		switch {
		case s.kind == xmlOther:
			continue
		case s.kind == xmlEOF && len(s.opens) > 0:
			return s.errAt(s.lim, "unexpected EOF")
		case s.kind == xmlStart:
			s.push()
		}
		return nil
	}
}

// advance moves past n scanned bytes, counting lines.
func (s *xmlScanner) advance(n int) {
	s.line += bytes.Count(s.buf[s.pos:s.pos+n], []byte{'\n'})
	s.pos += n
}

// fill reads more of r, keeping buf[pos:end] and growing buf when that
// fills it. It reads until buf is full so that a token longer than what
// one Read gives is scanned again only as often as the buffer doubles.
func (s *xmlScanner) fill() {
	if s.pos > 0 {
		s.lim = copy(s.buf, s.buf[s.pos:s.lim])
		s.pos = 0
	}
	if s.lim == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	for s.lim < len(s.buf) {
		n, err := s.r.Read(s.buf[s.lim:])
		s.lim += n
		if errors.Is(err, io.EOF) {
			s.eof = true
			return
		}
		if err != nil {
			s.rerr = err
			return
		}
		if n == 0 {
			return
		}
	}
}

// errAt is a syntax error at buf[i].
func (s *xmlScanner) errAt(i int, format string, args ...any) error {
	line := s.line + bytes.Count(s.buf[s.pos:i], []byte{'\n'})
	return &xmlSyntaxError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// push opens the start element just read (its name is local's qualified
// form, which starts where the token did).
func (s *xmlScanner) push() {
	s.opens = append(s.opens, len(s.open))
	s.open = append(s.open, s.qname...)
}

func (s *xmlScanner) pop() {
	n := len(s.opens) - 1
	s.open, s.opens = s.open[:s.opens[n]], s.opens[:n]
}

// popMatching closes the open element the end element just read names.
func (s *xmlScanner) popMatching(at int) error {
	if len(s.opens) == 0 {
		return s.errAt(at, "unexpected end element </%s>", s.local)
	}
	top := s.open[s.opens[len(s.opens)-1]:]
	if !bytes.Equal(top, s.qname) {
		return s.errAt(at, "element <%s> closed by </%s>", localOf(top), s.local)
	}
	s.pop()
	return nil
}

// localOf is the local part of a qualified name, as encoding/xml splits it.
func localOf(q []byte) []byte {
	if i := bytes.IndexByte(q, ':'); i > 0 && i < len(q)-1 {
		return q[i+1:]
	}
	return q
}

// xmlDeclCheck fails for an XML declaration of another version or
// encoding, as encoding/xml does without a CharsetReader.
func xmlDeclCheck(content string) error {
	if ver := procInstParam("version", content); ver != "" && ver != "1.0" {
		return fmt.Errorf("xml: unsupported version %q; only version 1.0 is supported", ver)
	}
	if enc := procInstParam("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
		return fmt.Errorf("xml: encoding %q declared but Decoder.CharsetReader is nil", enc)
	}
	return nil
}

// procInstParam finds param="value" in a processing instruction as
// encoding/xml does (loosely).
func procInstParam(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// xmlEntity is what an entity stands for: XML's five, then HTML's.
func xmlEntity(name []byte) (string, bool) {
	switch string(name) {
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "amp":
		return "&", true
	case "apos":
		return "'", true
	case "quot":
		return `"`, true
	}
	v, ok := xml.HTMLEntity[string(name)]
	return v, ok
}
