package tone

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxText is how much of a text Score reads. A comment form caps bodies well
// below this; the cap keeps a pasted megabyte from costing more than a long
// comment does, and 32 KB is enough to decide how a text reads.
const maxText = 32 << 10

// maxWord is the longest token, in bytes, that is looked up. No lexicon entry
// is longer, and it bounds the prefix lookups a pathological "word" costs.
const maxWord = 48

// token is one word of a text, folded for matching.
type token struct {
	word       string // lower-cased and folded: no accents, Greek ς as σ, Croatian đ as dj
	start, end int    // where the word is in the analysed text, for cues
	brk        bool   // a clause boundary (.,;:!? …) comes before it: negation and intensity stop there
	caps       bool   // written in capitals, with at least 3 letters ("SCAM")
}

// text is a tokenised comment and what was counted on the way.
type text struct {
	src     string // the analysed part of the input (valid UTF-8, at most maxText bytes)
	toks    []token
	letters int // letters in words of 3 or more letters,
	upper   int // and how many of them are capitals: the shouting ratio
	bangs   int // the longest run of exclamation marks (a run like "?!" counts its '!')
	greek   int // Greek letters
	latin   int // Latin letters
	plMarks int // letters only Polish uses (ą ę ł ń ś ź ż)
	hrMarks int // letters only Croatian uses here (č ć đ š ž)
}

// tokenise splits s into words and folds them. The folded words share one
// buffer, so a call allocates the buffer and the token slice, not a string a word.
func tokenise(s string) text {
	s = clip(strings.ToValidUTF8(s, "\uFFFD"), maxText)
	t := text{src: s, toks: make([]token, 0, len(s)/4+1)}
	var buf strings.Builder
	buf.Grow(len(s) + len(s)/8)
	var (
		start, from      = -1, 0 // byte offsets of the current word in s and in buf
		nLetters, nUpper int
		brk              bool
		run              int
	)
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := buf.String()[from:]
		if nLetters >= 3 {
			t.letters += nLetters
			t.upper += nUpper
		}
		t.toks = append(t.toks, token{word: w, start: start, end: end, brk: brk, caps: nLetters >= 3 && nUpper == nLetters})
		start, brk, nLetters, nUpper = -1, false, 0, 0
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r):
			if start < 0 {
				start, from = i, buf.Len()
			}
			nLetters++
			if unicode.IsUpper(r) {
				nUpper++
			}
			t.count(r)
			foldInto(&buf, unicode.ToLower(r))
			run = 0
			continue
		case start >= 0 && (unicode.Is(unicode.Mn, r) || r == '\'' || r == '’'):
			continue // combining accents and the apostrophe in "don't" stay inside the word
		}
		flush(i)
		if r == '!' || r == '！' {
			run++
			t.bangs = max(t.bangs, run)
		} else if r != '?' {
			run = 0
		}
		if isBreak(r) {
			brk = true
		} else if emoji(r) {
			start, from = i, buf.Len()
			buf.WriteRune(r)
			flush(i + utf8.RuneLen(r))
		}
	}
	flush(len(s))
	return t
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// count keeps the script and diacritic evidence for language detection.
func (t *text) count(r rune) {
	switch {
	case unicode.Is(unicode.Greek, r):
		t.greek++
	case r < 0x250:
		t.latin++
	}
	switch unicode.ToLower(r) {
	case 'ą', 'ę', 'ł', 'ń', 'ś', 'ź', 'ż':
		t.plMarks++
	case 'č', 'ć', 'đ', 'š', 'ž':
		t.hrMarks++
	}
}

// shouting reports text written mostly in capitals: at least 60% of the
// letters of its longer words, and enough of them that "OK" or "VAT" is not shouting.
func (t *text) shouting() bool {
	return t.letters >= 8 && t.upper*10 >= t.letters*6
}

// isBreak reports punctuation that ends a clause.
func isBreak(r rune) bool {
	return strings.ContainsRune(".,;:!?()[]\n…—–;·¡¿！？。", r)
}

// emoji reports the pictographs the lexicons may weigh; they become one-rune tokens.
func emoji(r rune) bool {
	return (r >= 0x1F300 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF)
}

// fold lower-cases and folds a whole lexicon word, as tokenise does.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) || r == '\'' || r == '’' {
			continue
		}
		foldInto(&b, unicode.ToLower(r))
	}
	return b.String()
}

// foldInto writes the folded form of a lower-case rune: Greek loses its
// accents and final sigma, Polish and Croatian lose their diacritics (readers
// type "zwrot pieniedzy" and "reklamacija" without them), and Croatian đ
// becomes "dj", the way it is typed without diacritics.
func foldInto(b *strings.Builder, r rune) {
	if f := folded(r); f != "" {
		b.WriteString(f)
		return
	}
	b.WriteRune(r)
}

// folded is the folded spelling of a lower-case letter, or "" when it folds to itself.
func folded(r rune) string {
	switch r {
	case 'ά':
		return "α"
	case 'έ':
		return "ε"
	case 'ή':
		return "η"
	case 'ί', 'ϊ', 'ΐ':
		return "ι"
	case 'ό':
		return "ο"
	case 'ύ', 'ϋ', 'ΰ':
		return "υ"
	case 'ώ':
		return "ω"
	case 'ς':
		return "σ"
	case 'đ':
		return "dj"
	case 'ą', 'á', 'à', 'â', 'ä':
		return "a"
	case 'ć', 'č', 'ç':
		return "c"
	case 'ę', 'é', 'è', 'ê', 'ë':
		return "e"
	case 'í', 'ï', 'î':
		return "i"
	case 'ł':
		return "l"
	case 'ń', 'ñ':
		return "n"
	case 'ó', 'ö', 'ô':
		return "o"
	case 'ś', 'š':
		return "s"
	case 'ú', 'ü', 'û':
		return "u"
	case 'ź', 'ż', 'ž':
		return "z"
	}
	return ""
}
