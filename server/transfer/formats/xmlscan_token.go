package formats

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// token scans the token at the start of b, returning its length, or
// errMore when b ends first. It follows encoding/xml's rawToken.
func (s *xmlScanner) token(b []byte) (int, error) {
	switch {
	case len(b) == 0 && s.eof:
		s.kind = xmlEOF
		return 0, nil
	case len(b) == 0:
		return 0, errMore
	case b[0] != '<':
		return s.charData(b)
	case len(b) < 2:
		return 0, errMore
	}
	switch b[1] {
	case '/':
		return s.endTag(b)
	case '?':
		return s.procInst(b)
	case '!':
		return s.bang(b)
	}
	return s.startTag(b)
}

// charData scans text up to the next '<' (or the end of the file).
func (s *xmlScanner) charData(b []byte) (int, error) {
	n := bytes.IndexByte(b, '<')
	if n < 0 {
		if !s.eof {
			return 0, errMore
		}
		n = len(b)
	}
	raw := b[:n]
	if i := bytes.Index(raw, []byte("]]>")); i >= 0 {
		return 0, s.errAt(s.pos+i, "unescaped ]]> not in CDATA section")
	}
	var err error
	if s.chars, err = s.unescape(raw, s.pos, true); err != nil {
		return 0, err
	}
	s.kind = xmlText
	return n, nil
}

// unescape decodes raw text found at buf[at]: entities (when entities is
// set, outside CDATA) and line ends. It returns raw itself when there is
// nothing to decode, else s.plain. The result must be valid characters.
func (s *xmlScanner) unescape(raw []byte, at int, entities bool) ([]byte, error) {
	if !(entities && bytes.IndexByte(raw, '&') >= 0) && bytes.IndexByte(raw, '\r') < 0 {
		return raw, s.checkChars(raw, at)
	}
	out := s.plain[:0]
	cr := false // the byte before was a raw \r
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&' && entities:
			text, n, ok := entityAt(raw[i:])
			if !ok {
				return nil, s.errAt(at+i, "invalid character entity %s", raw[i:i+n])
			}
			out = append(out, text...)
			i, cr = i+n, false
			continue
		case c == '\r':
			out = append(out, '\n')
		case c == '\n' && cr:
		default:
			out = append(out, c)
		}
		cr = c == '\r'
		i++
	}
	s.plain = out
	return out, s.checkChars(out, at)
}

// entityAt decodes the entity that b starts with, giving its length; when
// it is not one, n is how far it goes.
func entityAt(b []byte) (text string, n int, ok bool) {
	i := 1
	if i < len(b) && b[i] == '#' {
		i++
		base := 10
		if i < len(b) && b[i] == 'x' {
			base, i = 16, i+1
		}
		start := i
		for i < len(b) && (b[i] >= '0' && b[i] <= '9' || base == 16 && (b[i]|0x20 >= 'a' && b[i]|0x20 <= 'f')) {
			i++
		}
		if i == len(b) || b[i] != ';' {
			return "", i, false
		}
		v, err := strconv.ParseUint(string(b[start:i]), base, 64)
		if err != nil || v > unicode.MaxRune {
			return "", i + 1, false
		}
		return string(rune(v)), i + 1, true
	}
	for i < len(b) && (b[i] >= utf8.RuneSelf || isNameByte(b[i])) {
		i++
	}
	if i == len(b) || b[i] != ';' {
		return "", i, false
	}
	text, ok = xmlEntity(b[1:i])
	return text, i + 1, ok
}

// checkChars fails on invalid UTF-8 and on characters XML does not allow,
// in text decoded from buf[at].
func (s *xmlScanner) checkChars(b []byte, at int) error {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return s.errAt(at, "illegal character code %U", rune(c))
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return s.errAt(at, "invalid UTF-8")
		}
		if !(r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return s.errAt(at, "illegal character code %U", r)
		}
		i += n
	}
	return nil
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// name scans a name at b[i:], returning where it ends; ok is false when
// there is none. Names are checked as encoding/xml checks them.
func (s *xmlScanner) name(b []byte, i int) (end int, ok bool, err error) {
	j := i
	for j < len(b) && (b[j] >= utf8.RuneSelf || isNameByte(b[j])) {
		j++
	}
	switch {
	case j == len(b):
		return 0, false, errMore
	case j == i:
		return j, false, nil
	case !isXMLName(b[i:j]):
		return 0, false, s.errAt(s.pos+i, "invalid XML name: %s", b[i:j])
	}
	return j, true, nil
}

// isXMLName reports whether b is a name as encoding/xml's tables have it.
func isXMLName(b []byte) bool {
	ascii := true
	for _, c := range b {
		ascii = ascii && c < utf8.RuneSelf
	}
	if !ascii { // rare: let encoding/xml judge
		_, err := xml.NewDecoder(bytes.NewReader(append(append([]byte("<"), b...), "/>"...))).RawToken()
		return err == nil
	}
	c := b[0]
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == ':'
}

// qualifiedName scans an element's or attribute's name at b[i:] (one
// colon at most), returning where it ends and its local part; missing
// says what to report when there is none.
func (s *xmlScanner) qualifiedName(b []byte, i int, missing string) (int, []byte, error) {
	j, ok, err := s.name(b, i)
	if err != nil {
		return 0, nil, err
	}
	if !ok || bytes.Count(b[i:j], []byte{':'}) > 1 {
		return 0, nil, s.errAt(s.pos+i, "%s", missing)
	}
	return j, localOf(b[i:j]), nil
}
