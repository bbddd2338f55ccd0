package formats

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parleyhq/parley/server/transfer"
)

// xmlStream is an encoding/xml token stream with the helpers the WordPress
// reader needs (WXR's namespaces matter; the Disqus reader has the cheaper
// xmlScanner). It reads token by token, so a record is the most it holds.
type xmlStream struct{ d *xml.Decoder }

// newXMLStream reads src, gunzipping it if need be.
func newXMLStream(src io.Reader) (*xmlStream, error) {
	r, err := decompressed(src)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(r)
	// Older exports put HTML entities such as &nbsp; in titles unescaped.
	d.Entity = xml.HTMLEntity
	return &xmlStream{d: d}, nil
}

// line is the line the decoder has read up to.
func (x *xmlStream) line() int {
	line, _ := x.d.InputPos()
	return line
}

// root reads up to the document element and checks its name.
func (x *xmlStream) root(want string) error {
	for {
		tok, err := x.d.Token()
		if errors.Is(err, io.EOF) {
			return x.fail(fmt.Errorf("no <%s> element", want), "")
		}
		if err != nil {
			return x.fail(err, "")
		}
		if s, ok := tok.(xml.StartElement); ok {
			if s.Name.Local != want {
				return x.fail(fmt.Errorf("document element is <%s>, want <%s>", s.Name.Local, want), "")
			}
			return nil
		}
	}
}

// child reads up to the next child element of the element being read. It
// returns ok false after reading the parent's end tag.
func (x *xmlStream) child() (xml.StartElement, bool, error) {
	for {
		tok, err := x.d.Token()
		if err != nil {
			return xml.StartElement{}, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, true, nil
		case xml.EndElement:
			return xml.StartElement{}, false, nil
		}
	}
}

// children calls fn for each child element of the element just started;
// fn must read the child to its end (with text or Skip).
func (x *xmlStream) children(fn func(xml.StartElement) error) error {
	for {
		el, ok, err := x.child()
		if err != nil || !ok {
			return err
		}
		if err := fn(el); err != nil {
			return err
		}
	}
}

// text reads the character data of the element just started, to its end.
// Text fields in these formats have no child elements, so one is an error.
func (x *xmlStream) text() (string, error) {
	var b strings.Builder
	for {
		tok, err := x.d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			return strings.TrimSpace(b.String()), nil
		case xml.StartElement:
			return "", fmt.Errorf("unexpected element <%s> in a text field", t.Name.Local)
		}
	}
}

// flag reads an element holding "true" or "false" (or nothing: false).
func (x *xmlStream) flag(name string) (bool, error) {
	s, err := x.text()
	if err != nil {
		return false, err
	}
	return parseFlag(name, s)
}

// parseFlag reads "true" or "false" (or nothing: false), as 1 or 0 too.
func parseFlag(name, s string) (bool, error) {
	switch s {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, fmt.Errorf("%s: %q is not true or false", name, s)
}

// end reads what follows the document element, which may only be white
// space, comments and processing instructions, and returns io.EOF.
func (x *xmlStream) end() error {
	for {
		tok, err := x.d.Token()
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		if err != nil {
			return x.fail(err, "")
		}
		if s, ok := tok.(xml.StartElement); ok {
			return x.fail(fmt.Errorf("<%s> after the document element", s.Name.Local), "")
		}
	}
}

// fail turns err into a *transfer.SourceError at the line of a syntax
// error, or else the line the decoder has reached (the line of the field
// that failed). record names what was being read, if anything.
func (x *xmlStream) fail(err error, record string) error {
	if se := (*transfer.SourceError)(nil); errors.As(err, &se) {
		return err
	}
	line := x.line()
	if syn := (*xml.SyntaxError)(nil); errors.As(err, &syn) {
		line = syn.Line
	}
	return atLine(line, record, err)
}

// rfc3339 parses a timestamp such as 2013-09-12T15:04:05Z into UTC.
func rfc3339(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", field, err)
	}
	return t.UTC(), nil
}
