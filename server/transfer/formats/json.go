package formats

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonStream is an encoding/json token stream that knows its line.
type jsonStream struct {
	dec   *json.Decoder
	lines *lineCounter
}

// newJSONStream reads src, gunzipping it if need be.
func newJSONStream(src io.Reader) (*jsonStream, error) {
	r, err := decompressed(src)
	if err != nil {
		return nil, err
	}
	lc := &lineCounter{r: r, line: 1}
	return &jsonStream{dec: json.NewDecoder(lc), lines: lc}, nil
}

// line returns the line of the next value, and lets the line counter drop
// what came before it. (If the decoder has not yet read past a comma, it
// is the comma's line.)
func (s *jsonStream) line() int {
	s.dec.More() // steps over white space, so the offset is the value's
	return s.lines.lineAt(s.dec.InputOffset(), true)
}

// token reads the next token inside the document, where the input ending
// is always a truncation.
func (s *jsonStream) token() (json.Token, error) {
	t, err := s.dec.Token()
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return t, err
}

// decode reads the next value inside the document into v.
func (s *jsonStream) decode(v any) error {
	err := s.dec.Decode(v)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// expect reads a delimiter.
func (s *jsonStream) expect(want json.Delim) error {
	t, err := s.token()
	if err != nil {
		return err
	}
	if t != want {
		return fmt.Errorf("found %s, want %q", describe(t), rune(want))
	}
	return nil
}

// key reads the next key of an object, or its closing brace (ok false).
func (s *jsonStream) key() (key string, ok bool, err error) {
	t, err := s.token()
	if err != nil {
		return "", false, err
	}
	if t == json.Delim('}') {
		return "", false, nil
	}
	k, isKey := t.(string)
	if !isKey {
		return "", false, fmt.Errorf("found %s, want a key", describe(t))
	}
	return k, true, nil
}

// skip reads past the next value token by token, so that even a huge one
// costs no memory.
func (s *jsonStream) skip() error {
	depth := 0
	for {
		t, err := s.token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
		s.lines.lineAt(s.dec.InputOffset(), false) // keeps the counter's buffer small
	}
}

// end checks that nothing but white space follows the document.
func (s *jsonStream) end() error {
	t, err := s.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("found %s after the end of the document", describe(t))
}

// describe names a token for an error message.
func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", rune(v))
	case string:
		return fmt.Sprintf("string %q", v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}
