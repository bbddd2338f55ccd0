package ack

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextLength bounds an owner's wording, in characters.
const MaxTextLength = 500

// Placeholders are what an owner's wording may hold: {name} the
// commenter's name, {target} the reply target ("within 4 hours") and
// {expected} when to expect a reply ("by Monday 10:00").
func Placeholders() []string { return []string{"{name}", "{target}", "{expected}"} }

// TextError is what is wrong with an owner's wording in one language.
type TextError struct {
	Lang string
	Msg  string
}

func (e *TextError) Error() string { return e.Lang + ": " + e.Msg }

// CleanText makes an owner's wording plain text on one line: control
// characters go, runs of white space become one space. It is shown as
// text, never as HTML, so markup in it is harmless and left as typed.
func CleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// CheckText reports what is wrong with a cleaned wording, if anything: it
// is too long, or has a brace that does not belong to a placeholder.
func CheckText(s string) error {
	if n := utf8.RuneCountInString(s); n > MaxTextLength {
		return fmt.Errorf("the text has %d characters; at most %d fit", n, MaxTextLength)
	}
	for rest := s; rest != ""; {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			break
		}
		end := strings.IndexByte(rest[i:], '}')
		if rest[i] == '}' || end < 0 {
			return fmt.Errorf("braces only go around a placeholder: %s", strings.Join(Placeholders(), ", "))
		}
		p := rest[i : i+end+1]
		if !strings.Contains(" "+strings.Join(Placeholders(), " ")+" ", " "+p+" ") {
			return fmt.Errorf("%s is not a placeholder; use %s", p, strings.Join(Placeholders(), ", "))
		}
		rest = rest[i+end+1:]
	}
	return nil
}

// CleanTexts cleans and checks an owner's wordings by language, and drops
// the empty ones (they mean the default). Errors: *TextError.
func (c *Composer) CleanTexts(texts map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for _, lang := range Languages() {
		s, ok := texts[lang]
		if !ok {
			continue
		}
		s = CleanText(s)
		if err := CheckText(s); err != nil {
			return nil, &TextError{Lang: lang, Msg: err.Error()}
		}
		if s != "" {
			out[lang] = s
		}
	}
	for lang := range texts {
		if _, ok := c.langs[lang]; !ok {
			return nil, &TextError{Lang: lang, Msg: fmt.Sprintf("%q is not a language the embed speaks (%s)", lang, strings.Join(Languages(), ", "))}
		}
	}
	return out, nil
}
