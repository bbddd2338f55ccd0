package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/parleyhq/parley/server/transfer"
)

// The walk of a document with xmlScanner: the helpers xmlStream has for
// encoding/xml, which the Disqus reader uses.

// root reads up to the document element and checks its name.
func (s *xmlScanner) root(want string) error {
	for {
		if err := s.next(); err != nil {
			return s.fail(err, "")
		}
		switch s.kind {
		case xmlEOF:
			return s.fail(fmt.Errorf("no <%s> element", want), "")
		case xmlStart:
			if string(s.local) != want {
				return s.fail(fmt.Errorf("document element is <%s>, want <%s>", s.local, want), "")
			}
			return nil
		}
	}
}

// child reads up to the next child element of the element being read. It
// returns false after reading the parent's end tag.
func (s *xmlScanner) child() (bool, error) {
	for {
		if err := s.next(); err != nil {
			return false, err
		}
		switch s.kind {
		case xmlStart:
			return true, nil
		case xmlEnd:
			return false, nil
		}
	}
}

// children calls fn for each child element of the element just started,
// with the child's local name; fn must read the child to its end (with
// text or skip).
func (s *xmlScanner) children(fn func(local []byte) error) error {
	for {
		ok, err := s.child()
		if err != nil || !ok {
			return err
		}
		if err := fn(s.local); err != nil {
			return err
		}
	}
}

// text reads the character data of the element just started, to its end,
// trimmed. Text fields in these formats have no child elements, so one is
// an error.
func (s *xmlScanner) text() (string, error) {
	b, err := s.textBytes()
	return string(b), err
}

// textBytes is text, good until the next read.
func (s *xmlScanner) textBytes() ([]byte, error) {
	acc := s.acc[:0]
	for {
		if err := s.next(); err != nil || s.kind != xmlText {
			s.acc = acc
			return s.textEnd(acc, err)
		}
		// Copied: the next read may move the buffer.
		acc = append(acc, s.chars...)
	}
}

// textEnd finishes text at a token that is not text.
func (s *xmlScanner) textEnd(text []byte, err error) ([]byte, error) {
	switch {
	case err != nil:
		return nil, err
	case s.kind == xmlStart:
		return nil, fmt.Errorf("unexpected element <%s> in a text field", s.local)
	}
	return bytes.TrimSpace(text), nil // xmlEnd: xmlEOF cannot come with an element open
}

// flag reads an element holding "true" or "false" (or nothing: false).
func (s *xmlScanner) flag(name string) (bool, error) {
	b, err := s.textBytes()
	if err != nil {
		return false, err
	}
	return parseFlag(name, string(b))
}

// skip reads the element just started to its end.
func (s *xmlScanner) skip() error {
	for depth := 1; depth > 0; {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case xmlStart:
			depth++
		case xmlEnd:
			depth--
		}
	}
	return nil
}

// end reads what follows the document element, which may only be white
// space, comments and processing instructions, and returns io.EOF.
func (s *xmlScanner) end() error {
	for {
		if err := s.next(); err != nil {
			return s.fail(err, "")
		}
		switch s.kind {
		case xmlEOF:
			return io.EOF
		case xmlStart:
			return s.fail(fmt.Errorf("<%s> after the document element", s.local), "")
		}
	}
}

// fail turns err into a *transfer.SourceError at the line of a syntax
// error, or else the line the scanner has reached (the line of the field
// that failed). record names what was being read, if anything.
func (s *xmlScanner) fail(err error, record string) error {
	if se := (*transfer.SourceError)(nil); errors.As(err, &se) {
		return err
	}
	line := s.line
	if syn := (*xmlSyntaxError)(nil); errors.As(err, &syn) {
		line = syn.Line
	}
	return atLine(line, record, err)
}
