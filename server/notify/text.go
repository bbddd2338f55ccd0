package notify

import (
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// clip escapes s rune by rune with esc (nil: no escaping) and cuts the
// result to at most limit UTF-16 code units, ending it with "…" when cut.
// Slack and Discord count length in UTF-16 units, as JavaScript does, and
// cutting after escaping never splits an escape sequence.
func clip(s string, limit int, esc func(rune) string) string {
	if esc == nil {
		esc = func(r rune) string { return string(r) }
	}
	var all strings.Builder
	for _, r := range s {
		all.WriteString(esc(r))
	}
	if utf16Len(all.String()) <= limit {
		return all.String()
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		piece := esc(r)
		if n+utf16Len(piece) > limit-1 {
			break
		}
		b.WriteString(piece)
		n += utf16Len(piece)
	}
	return b.String() + "…"
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Quote marks every line of s as quoted ("> "), for the text part of a mail.
func Quote(s string) string { return "> " + strings.ReplaceAll(s, "\n", "\n> ") }

// Excerpt is the start of s, trimmed, at most n runes long: cut with
// "…" when longer.
func Excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// oneLine collapses runs of white space, line breaks included, into single
// spaces, for excerpts shown on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// webURL reports whether s is an absolute http or https URL, which is all
// Slack buttons and Discord embeds accept.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}
