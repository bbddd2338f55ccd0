package formats

import "bytes"

// startTag scans <name attr="value" ...> or <name .../>.
func (s *xmlScanner) startTag(b []byte) (int, error) {
	i, local, err := s.qualifiedName(b, 1, "expected element name after <")
	if err != nil {
		return 0, err
	}
	s.qname, s.local = b[1:i], local
	s.attrs, s.vals = s.attrs[:0], s.vals[:0]
	for {
		i = skipSpace(b, i)
		if i == len(b) {
			return 0, errMore
		}
		switch b[i] {
		case '/':
			if i+1 == len(b) {
				return 0, errMore
			}
			if b[i+1] != '>' {
				return 0, s.errAt(s.pos+i, "expected /> in element")
			}
			s.kind, s.closing = xmlStart, true
			return i + 2, nil
		case '>':
			s.kind = xmlStart
			return i + 1, nil
		}
		if i, err = s.attribute(b, i); err != nil {
			return 0, err
		}
	}
}

// attribute scans name="value" at b[i:].
func (s *xmlScanner) attribute(b []byte, i int) (int, error) {
	j, local, err := s.qualifiedName(b, i, "expected attribute name in element")
	if err != nil {
		return 0, err
	}
	if j = skipSpace(b, j); j == len(b) {
		return 0, errMore
	}
	if b[j] != '=' {
		return 0, s.errAt(s.pos+j, "attribute name without = in element")
	}
	if j = skipSpace(b, j+1); j == len(b) {
		return 0, errMore
	}
	q := b[j]
	if q != '"' && q != '\'' {
		return 0, s.errAt(s.pos+j, "unquoted or missing attribute value in element")
	}
	j++
	k := bytes.IndexByte(b[j:], q)
	value := b[j:]
	if k >= 0 {
		value = b[j : j+k]
	}
	if lt := bytes.IndexByte(value, '<'); lt >= 0 {
		return 0, s.errAt(s.pos+j+lt, "unescaped < inside quoted string")
	}
	if k < 0 {
		return 0, errMore
	}
	v, err := s.unescape(value, s.pos+j, true)
	if err != nil {
		return 0, err
	}
	start := len(s.vals)
	s.vals = append(s.vals, v...)
	s.attrs = append(s.attrs, xmlAttr{local: local, start: start, end: len(s.vals)})
	return j + k + 1, nil
}

// endTag scans </name>.
func (s *xmlScanner) endTag(b []byte) (int, error) {
	i, local, err := s.qualifiedName(b, 2, "expected element name after </")
	if err != nil {
		return 0, err
	}
	j := skipSpace(b, i)
	if j == len(b) {
		return 0, errMore
	}
	if b[j] != '>' {
		return 0, s.errAt(s.pos+j, "invalid characters between </%s and >", local)
	}
	s.qname, s.local, s.kind, s.attrs = b[2:i], local, xmlEnd, s.attrs[:0]
	return j + 1, nil
}

// procInst scans <?target ...?>, checking an XML declaration.
func (s *xmlScanner) procInst(b []byte) (int, error) {
	i, ok, err := s.name(b, 2)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, s.errAt(s.pos+2, "expected target name after <?")
	}
	j := skipSpace(b, i)
	k := bytes.Index(b[j:], []byte("?>"))
	if k < 0 {
		return 0, errMore
	}
	if string(b[2:i]) == "xml" {
		if err := xmlDeclCheck(string(b[j : j+k])); err != nil {
			return 0, err
		}
	}
	s.kind = xmlOther
	return j + k + 2, nil
}

// bang scans a comment, a CDATA section or a directive (<!DOCTYPE ...>).
func (s *xmlScanner) bang(b []byte) (int, error) {
	if len(b) < 3 {
		return 0, errMore
	}
	switch b[2] {
	case '-':
		if len(b) < 4 {
			return 0, errMore
		}
		if b[3] != '-' {
			return 0, s.errAt(s.pos+3, "invalid sequence <!- not part of <!--")
		}
		k := bytes.Index(b[4:], []byte("--"))
		if k < 0 || 4+k+2 == len(b) {
			return 0, errMore
		}
		if e := 4 + k + 2; b[e] != '>' {
			return 0, s.errAt(s.pos+e, `invalid sequence "--" not allowed in comments`)
		}
		s.kind = xmlOther
		return 4 + k + 3, nil
	case '[':
		const cdata = "[CDATA["
		for i := range len(cdata) {
			if 2+i == len(b) {
				return 0, errMore
			}
			if b[2+i] != cdata[i] {
				return 0, s.errAt(s.pos+2+i, "invalid <![ sequence")
			}
		}
		k := bytes.Index(b[9:], []byte("]]>"))
		if k < 0 {
			return 0, errMore
		}
		var err error
		if s.chars, err = s.unescape(b[9:9+k], s.pos+9, false); err != nil {
			return 0, err
		}
		s.kind = xmlText
		return 9 + k + 3, nil
	}
	n, err := directiveEnd(b, 3)
	s.kind = xmlOther
	return n, err
}

// directiveEnd finds the end of a directive, b[i:] on, as encoding/xml
// does: past quoted strings, nested <...> and comments.
func directiveEnd(b []byte, i int) (int, error) {
	var quote byte
	depth := 0
	for {
		if i == len(b) {
			return 0, errMore
		}
		c := b[i]
		i++
		if quote == 0 && c == '>' && depth == 0 {
			return i, nil
		}
	handle:
		switch {
		case c == quote:
			quote = 0
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			depth--
		case c == '<':
			for _, want := range []byte("!--") {
				if i == len(b) {
					return 0, errMore
				}
				c = b[i]
				i++
				if c != want {
					depth++
					goto handle
				}
			}
			k := bytes.Index(b[i:], []byte("-->"))
			if k < 0 {
				return 0, errMore
			}
			i += k + 3
		}
	}
}
