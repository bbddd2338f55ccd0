package answer

import (
	"slices"
	"strings"
	"unicode"
)

// Placeholders returns the names a saved answer may use, in the order the
// panel lists them.
func Placeholders() []string {
	return []string{"name", "post_title", "post_url", "site", "staff_name", "date"}
}

// Values are what the placeholders stand for when an answer is used on one
// comment.
type Values struct {
	Name      string // the reader's name
	PostTitle string // the title of the post (its path when it has none)
	PostURL   string
	Site      string // the site's title (its name when it has none)
	StaffName string // the staff member answering
	Date      string // today in the site's time zone, 2006-01-02
}

// lookup returns the value of a placeholder; ok is false for an unknown
// name.
func (v Values) lookup(name string) (value string, ok bool) {
	switch name {
	case "name":
		return v.Name, true
	case "post_title":
		return v.PostTitle, true
	case "post_url":
		return v.PostURL, true
	case "site":
		return v.Site, true
	case "staff_name":
		return v.StaffName, true
	case "date":
		return v.Date, true
	}
	return "", false
}

// segment is a piece of a template: literal text, or a placeholder (name
// set).
type segment struct {
	text, name string
}

// parse splits a template into literal text and placeholders. A
// placeholder is {word}, word being ASCII letters, digits and underscores;
// {{ and }} stand for a literal { and }. Any other brace is literal text,
// so that "{ }" or a JSON example needs no escaping.
func parse(tmpl string) []segment {
	var out []segment
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, segment{text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(tmpl); {
		switch {
		case strings.HasPrefix(tmpl[i:], "{{"), strings.HasPrefix(tmpl[i:], "}}"):
			lit.WriteByte(tmpl[i])
			i += 2
		case tmpl[i] == '{':
			n := wordLen(tmpl[i+1:])
			if n > 0 && i+1+n < len(tmpl) && tmpl[i+1+n] == '}' {
				flush()
				out = append(out, segment{name: tmpl[i+1 : i+1+n]})
				i += n + 2
				continue
			}
			lit.WriteByte('{')
			i++
		default:
			lit.WriteByte(tmpl[i])
			i++
		}
	}
	flush()
	return out
}

// wordLen is the length of the placeholder name s starts with.
func wordLen(s string) int {
	n := 0
	for n < len(s) && n < 40 && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
		n++
	}
	return n
}

// Unknown returns the placeholders of a template that are not in
// Placeholders, once each, in the order they appear.
func Unknown(tmpl string) []string {
	var out []string
	for _, s := range parse(tmpl) {
		if _, ok := (Values{}).lookup(s.name); s.name != "" && !ok && !slices.Contains(out, s.name) {
			out = append(out, s.name)
		}
	}
	return out
}

// Fill replaces each placeholder of tmpl with its value. An unknown
// placeholder (possible only in an answer saved before a name was retired)
// is left as written.
func Fill(tmpl string, v Values) string {
	var b strings.Builder
	for _, s := range parse(tmpl) {
		if s.name == "" {
			b.WriteString(s.text)
			continue
		}
		value, ok := v.lookup(s.name)
		if !ok {
			value = "{" + s.name + "}"
		}
		b.WriteString(value)
	}
	return b.String()
}

// raw fills every placeholder with itself: the template as staff would see
// it had nothing filled it in.
func raw(tmpl string) string {
	var b strings.Builder
	for _, s := range parse(tmpl) {
		if s.name != "" {
			s.text = "{" + s.name + "}"
		}
		b.WriteString(s.text)
	}
	return b.String()
}

// Unchanged reports whether sent is the answer tmpl as inserted for v,
// changed in nothing but white space and line ends: a reply that was not
// personalised. The placeholders may be filled (as the panel inserts them)
// or left as written.
func Unchanged(tmpl string, v Values, sent string) bool {
	s := normalise(sent)
	return s == normalise(Fill(tmpl, v)) || s == normalise(raw(tmpl))
}

// normalise folds every run of white space (spaces, tabs, line ends of any
// kind, no-break spaces) into one space and trims the ends, so that
// re-wrapped lines or a trailing newline do not count as personalising.
func normalise(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B'
	}), " ")
}
