package spam

import (
	"regexp"
	"strings"
	"unicode"
)

// currencyRe is an amount of money: "$500", "50 €", "£20".
var currencyRe = regexp.MustCompile(`[$€£]\s?\d|\d\s?[$€£]`)

// shouting reports text written mostly in capitals. Only letters that have a
// case count, so Chinese or Arabic text is never shouting, and a short "OMG"
// is not enough.
func shouting(s string) bool {
	var up, low int
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			up++
		case unicode.IsLower(r):
			low++
		}
	}
	return up >= 10 && float64(up) >= 0.7*float64(up+low)
}

// longestRun is the longest run of one repeated letter or punctuation mark
// ("soooooo", "!!!!!!"). Digits are left out so "1000000" is not a run, and
// emoji are counted by longestSymbolRun.
func longestRun(s string) int {
	best, n := 0, 0
	var prev rune
	for _, r := range s {
		if r == prev && !unicode.IsSpace(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.So, r) {
			n++
		} else {
			n = 1
		}
		prev = r
		best = max(best, n)
	}
	return best
}

// longestSymbolRun is the longest run of emoji and other symbols, any mix of
// them. Variation selectors and skin-tone modifiers neither count nor break
// a run.
func longestSymbolRun(s string) int {
	best, n := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.So, r):
			n++
			best = max(best, n)
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Sk, r):
		default:
			n = 0
		}
	}
	return best
}

// hasPhone reports a phone number: 9 to 15 digits in at least two groups, or
// after a "+". Years ("2013 2014 2015") and thousands ("1.000.000.000",
// "2 000 000") look the same to a regexp and are ruled out here.
func hasPhone(s string) bool {
	for _, m := range phoneRe.FindAllString(s, -1) {
		groups := strings.FieldsFunc(m, func(r rune) bool { return !unicode.IsDigit(r) })
		digits := len(strings.Join(groups, ""))
		if digits < 9 || digits > 15 {
			continue
		}
		if strings.HasPrefix(m, "+") {
			return true
		}
		if len(groups) >= 2 && !allLen(groups, 4) && !thousands(groups) {
			return true
		}
	}
	return false
}

// thousands reports digit groups that read as one big number: a first group
// of one to three digits followed by groups of exactly three.
func thousands(groups []string) bool {
	return len(groups[0]) <= 3 && allLen(groups[1:], 3)
}

func allLen(groups []string, n int) bool {
	for _, g := range groups {
		if len(g) != n {
			return false
		}
	}
	return true
}

// letters counts the letters in s.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
