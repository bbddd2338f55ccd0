package mailin

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Quote headers that mail clients write above the quoted message. They are
// anchored on their first word, so they cut the text even when no ">" quote
// follows (clients that quote with indentation only).
var strongHeader = regexp.MustCompile(`(?i)^(?:` +
	`on\s.{4,}\swrote\s?:` + // On Tue, 3 Mar 2026 at 10:00, Jane <j@x> wrote:
	`|am\s.{4,}\sschrieb\s.*:` + // Am 03.03.2026 um 10:00 schrieb Jane <j@x>:
	`|le\s.{4,}\sa\sécrit\s?:` + // Le 3 mars 2026 à 10:00, Jane <j@x> a écrit :
	`|el\s.{4,}\sescribió\s?:` + // El 3 mar 2026, a las 10:00, Jane (<j@x>) escribió:
	`|στις\s.{4,}\sέγραψε\s?:` + // Στις 3/3/2026 10:00 π.μ., ο/η Jane <j@x> έγραψε:
	`|w\sdniu\s.{4,}\snapisał(?:\(a\)|a)?\s?:` + // W dniu 3.03.2026 o 10:00, Jane <j@x> napisał(a):
	`)$`)

// Quote headers without a fixed first word. Since a person may end a line
// of their own with "… wrote:", these cut only when the header has a sign
// of being written by a program (an address or a date) or a ">" quote
// follows. Headers are at most maxWeakHeader characters (checked apart: a
// counted repetition in the pattern would compile into a program of
// hundreds of kilobytes).
var weakHeader = regexp.MustCompile(`(?i)^.+\s(?:` +
	`wrote` + // Jane Doe <j@x> wrote:
	`|pisze` + // Jane Doe <j@x> pisze:
	`|je\snapisa(?:o|la)(?:\s?/\s?(?:napisa)?la)?` + // Jane Doe <j@x> je napisao/napisala:
	`|napisa(?:o|la)(?:\s?/\s?(?:napisa)?la)?\sje` + // Jane Doe <j@x> napisao/la je:
	`)\s?:$`)

const maxWeakHeader = 320 // 300 characters before the verb, and the verb

const maxSentFrom = 100

func isSentFrom(line string) bool {
	return utf8.RuneCountInString(line) <= maxSentFrom && sentFrom.MatchString(line)
}

// machineSign is an address or a date, as quote headers carry.
var machineSign = regexp.MustCompile(`@|\d{1,4}[./-] ?\d{1,2}[./-] ?\d{2,4}`)

// Outlook puts a separator line above the quoted message's headers.
var (
	originalMessage = regexp.MustCompile(`(?i)^-{2,}\s*original message\s*-{2,}$`)
	separator       = regexp.MustCompile(`^(?:-{3,}[^-].*[^-]-{3,}|_{10,})$`) // -----Ursprüngliche Nachricht----- or ____
	fromHeader      = regexp.MustCompile(`(?i)^\*?(?:from|von|de|od|από)\s?:`)
	nextHeader      = regexp.MustCompile(`(?i)^\*?(?:sent|date|to|subject|gesendet|datum|an|betreff|envoyé|envoye|à|objet|` +
		`enviado|fecha|para|asunto|wysłane|wysłano|data|do|temat|poslano|za|predmet|στάλθηκε|ημερομηνία|προς|θέμα)\s?:`)
)

// sentFrom matches the one-line advertisements mobile clients add (lines
// of at most maxSentFrom characters: see maxWeakHeader for why the
// length is not in the pattern).
var sentFrom = regexp.MustCompile(`(?i)^(?:` +
	`sent (?:from|with|via) (?:my |mail for |outlook|yahoo|aol|gmail|proton|samsung|blackberry).*` +
	`|get outlook for .+` +
	`|von meinem .+ gesendet|gesendet von (?:meinem )?(?:iphone|ipad|android|samsung|outlook|mail).*` +
	`|envoyé (?:de|depuis) (?:mon|ma|l'application) .+` +
	`|enviado desde (?:mi|el) .+` +
	`|wysłane z .+` +
	`|poslano (?:s|sa|iz) .+` +
	`|στάλθηκε από .+` +
	`)\.?$`)

// StripQuoted returns the new text of a reply: it drops every line that
// starts with ">", and everything from the first quote header ("On …
// wrote:", possibly split over two lines, and its German, French, Spanish,
// Greek, Polish and Croatian forms), Outlook's "-----Original Message-----"
// or "____" separator with its From:/Sent: headers, or a "-- " signature
// line, onwards. A trailing "Sent from my iPhone"-style line goes too. Line
// ends become LF, leading and trailing blank lines are removed, and the
// remaining line breaks are kept, since the text is Markdown.
func StripQuoted(text string) string {
	lines := strings.Split(normalizeNewlines(text), "\n")
	lines = dropQuoteLines(lines[:quoteStart(lines)])
	lines = trimBlank(lines)
	if n := len(lines); n > 0 && isSentFrom(clean(lines[n-1])) {
		lines = trimBlank(lines[:n-1])
	}
	return strings.Join(lines, "\n")
}

// quoteStart returns the index of the line where the quoted message (or the
// signature) starts, or len(lines).
func quoteStart(lines []string) int {
	for i, l := range lines {
		if l == "-- " || l == "--" { // RFC 3676's separator; some clients trim its space
			return i
		}
		if !isQuoted(l) && (isQuoteHeader(lines, i) || isOutlookHeader(lines, i)) {
			return i
		}
	}
	return len(lines)
}

// isQuoteHeader reports whether lines[i] starts a quote header, alone or
// joined with the next line (Gmail wraps long headers).
func isQuoteHeader(lines []string, i int) bool {
	one := clean(lines[i])
	if one == "" {
		return false
	}
	candidates := []string{one}
	if i+1 < len(lines) && !isQuoted(lines[i+1]) && !strings.ContainsAny(one[len(one)-1:], ".!?:") {
		if two := clean(lines[i+1]); two != "" {
			candidates = append(candidates, one+" "+two)
		}
	}
	for k, c := range candidates {
		if strongHeader.MatchString(c) {
			return true
		}
		if utf8.RuneCountInString(c) <= maxWeakHeader && weakHeader.MatchString(c) &&
			(machineSign.MatchString(c) || nextIsQuoted(lines, i+1+k)) {
			return true
		}
	}
	return false
}

// isOutlookHeader reports whether lines[i] starts the headers Outlook
// writes above the message it quotes.
func isOutlookHeader(lines []string, i int) bool {
	l := clean(lines[i])
	switch {
	case originalMessage.MatchString(l):
		return true
	case separator.MatchString(l):
		next, ok := nextNonBlank(lines, i+1)
		return ok && fromHeader.MatchString(next)
	case fromHeader.MatchString(l):
		next, ok := nextNonBlank(lines, i+1)
		return ok && nextHeader.MatchString(next)
	}
	return false
}

// nextNonBlank returns the first non-blank line from lines[i] on, cleaned.
func nextNonBlank(lines []string, i int) (string, bool) {
	for ; i < len(lines); i++ {
		if l := clean(lines[i]); l != "" {
			return l, true
		}
	}
	return "", false
}

// nextIsQuoted reports whether the first non-blank line from lines[i] on
// starts with ">".
func nextIsQuoted(lines []string, i int) bool {
	l, ok := nextNonBlank(lines, i)
	return ok && strings.HasPrefix(l, ">")
}

// dropQuoteLines removes the lines starting with ">" and the extra blank
// lines their removal leaves behind.
func dropQuoteLines(lines []string) []string {
	out := make([]string, 0, len(lines))
	dropped := false
	for _, l := range lines {
		if isQuoted(l) {
			dropped = true
			continue
		}
		blank := strings.TrimSpace(l) == ""
		if blank && dropped && len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
			continue
		}
		if !blank {
			dropped = false
		}
		out = append(out, l)
	}
	return out
}

// trimBlank removes leading and trailing blank lines.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func isQuoted(l string) bool {
	return strings.HasPrefix(strings.TrimLeft(l, " \t"), ">")
}

// clean prepares a line for matching: no-break spaces (French puts one
// before a colon) become spaces, and the ends are trimmed.
func clean(l string) string {
	return strings.TrimSpace(noBreakSpace.Replace(l))
}

var noBreakSpace = strings.NewReplacer("\u00a0", " ", "\u202f", " ")
