package spam

import (
	"html"
	"regexp"
	"strings"
	"unicode"
)

var (
	// tagRe matches an HTML tag. Comments imported from other systems (and the
	// training data) carry <br /> and <a href> markup.
	tagRe = regexp.MustCompile(`<[^>]*>`)
	// hrefRe pulls the target out of an anchor, which the text may not repeat.
	hrefRe = regexp.MustCompile(`(?i)\bhref\s*=\s*["']?([^"'\s>]+)`)
)

// clean turns a body into plain text: tags become spaces, entities are decoded,
// and invisible format characters (zero-width spaces, byte-order marks) are
// dropped. The training data ends many comments with U+FEFF, more often ham
// than spam in some files, so keeping it would teach the model an artefact of
// how the data was collected. It also returns the targets of any anchors.
func clean(s string) (string, []string) {
	var hrefs []string
	for _, m := range hrefRe.FindAllStringSubmatch(s, -1) {
		hrefs = append(hrefs, html.UnescapeString(m[1]))
	}
	s = tagRe.ReplaceAllString(s, " ")
	s = html.UnescapeString(s)
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	return s, hrefs
}

// fold lowercases s and strips the accents of the languages the phrase lists
// cover, so that "Suscríbete", "suscribete" and "SUSCRIBETE" are one word, and
// a phrase list needs no accented spellings.
func fold(s string) string {
	return strings.Map(foldRune, strings.ToLower(s))
}

// foldRune maps one lowercase rune to its unaccented base letter.
func foldRune(r rune) rune {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ą', 'ā', 'ă':
		return 'a'
	case 'ç', 'ć', 'č':
		return 'c'
	case 'ď', 'đ':
		return 'd'
	case 'è', 'é', 'ê', 'ë', 'ę', 'ě', 'ē':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ł', 'ľ', 'ĺ':
		return 'l'
	case 'ñ', 'ń', 'ň':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ő':
		return 'o'
	case 'ř':
		return 'r'
	case 'ś', 'š', 'ş':
		return 's'
	case 'ť', 'ţ':
		return 't'
	case 'ù', 'ú', 'û', 'ü', 'ů', 'ű':
		return 'u'
	case 'ý', 'ÿ':
		return 'y'
	case 'ź', 'ż', 'ž':
		return 'z'
	case 'ά':
		return 'α'
	case 'έ':
		return 'ε'
	case 'ή':
		return 'η'
	case 'ί', 'ϊ', 'ΐ':
		return 'ι'
	case 'ό':
		return 'ο'
	case 'ύ', 'ϋ', 'ΰ':
		return 'υ'
	case 'ώ':
		return 'ω'
	case 'ς':
		return 'σ'
	}
	return r
}

// words splits folded text into words: runs of letters, digits and combining
// marks. Everything else (punctuation, emoji, spaces) separates words.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}
