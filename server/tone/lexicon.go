package tone

import (
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// The lexicons are text files, one per language plus common.txt (emoji and
// words every language borrows), loaded the first time Score runs. The
// format is described at the top of common.txt.
//
//go:embed lexicon/*.txt
var lexiconFS embed.FS

// kind is what an entry does.
type kind uint8

const (
	kindNeg       kind = iota + 1 // an evaluative negative word; negation turns it mildly positive ("not bad")
	kindPos                       // a positive word; negation turns it negative ("not happy")
	kindComplaint                 // a complaint topic (refund, chargeback): negative, negated or not
	kindExpect                    // something a customer expects (works, arrived, replied): neutral, negated it is a complaint
	kindNegator                   // opens a negation scope (not, nie, ne, δεν)
	kindIntens                    // multiplies the next sentiment word by its weight (very, bardzo; "a bit" is below 1)
	kindBut                       // what came before weighs half (but, ale, ali, αλλά)
)

// sectionKind is the kind of the entries under [name]; 0 for [skip] and
// [stop], which hold plain word lists, and false for an unknown section.
func sectionKind(name string) (kind, bool) {
	switch name {
	case "neg":
		return kindNeg, true
	case "pos":
		return kindPos, true
	case "complaint":
		return kindComplaint, true
	case "expect":
		return kindExpect, true
	case "negator":
		return kindNegator, true
	case "intens":
		return kindIntens, true
	case "but":
		return kindBut, true
	case "skip", "stop":
		return 0, true
	}
	return 0, false
}

// term is one word of an entry.
type term struct {
	text string // folded
	stem bool   // matches any word that starts with text
	any  bool   // "_": matches any one word
}

// entry is a word or phrase of a lexicon.
type entry struct {
	terms  []term
	kind   kind
	weight float64
}

// lexicon is one file's entries, indexed by their first word.
type lexicon struct {
	exact map[string][]*entry // first word matched whole
	stems map[string][]*entry // first word matched as a prefix, by the stem's first stemKey bytes
	skip  map[string]bool     // words negation and intensity reach past: is, jest, się, το, θα
	stop  map[string]bool     // frequent words that tell the language
}

// stemKey is how many leading bytes index a stem: a word then costs one
// lookup and a few prefix checks rather than a lookup per prefix length.
const stemKey = 3

// library is every lexicon, parsed once: each file's, whose [stop] lists tell
// the languages apart, and per detected language the merged lexicon Score
// reads with, so that a word costs one lookup however many files apply.
type library struct {
	files  map[string]*lexicon // "common", "en", "el", "pl", "hr"
	merged map[string]*lexicon // by language; "" (unsure) merges every file
}

// loadLibrary parses the embedded lexicons the first time it is called.
var loadLibrary = sync.OnceValue(func() *library {
	lib := &library{files: map[string]*lexicon{}, merged: map[string]*lexicon{}}
	for _, name := range []string{"common", "en", "el", "pl", "hr"} {
		src, err := lexiconFS.ReadFile("lexicon/" + name + ".txt")
		if err != nil {
			panic(fmt.Sprintf("tone: %v", err)) // embedded: cannot happen in a built binary
		}
		lx, err := parseLexicon(string(src))
		if err != nil {
			panic(fmt.Sprintf("tone: lexicon %s: %v", name, err)) // TestLexicons parses every file
		}
		lib.files[name] = lx
	}
	// English and common come with every language: shop comments borrow
	// "refund", "scam", "super" and emoji.
	f := lib.files
	lib.merged[""] = merge(f["common"], f["en"], f["pl"], f["hr"], f["el"])
	lib.merged["en"] = merge(f["common"], f["en"])
	for _, lang := range []string{"el", "pl", "hr"} {
		lib.merged[lang] = merge(f["common"], f[lang], f["en"])
	}
	return lib
})

// newLexicon returns an empty lexicon.
func newLexicon() *lexicon {
	return &lexicon{exact: map[string][]*entry{}, stems: map[string][]*entry{}, skip: map[string]bool{}, stop: map[string]bool{}}
}

// merge is one lexicon holding the entries and skip words of lxs.
func merge(lxs ...*lexicon) *lexicon {
	m := newLexicon()
	for _, lx := range lxs {
		for k, es := range lx.exact {
			m.exact[k] = append(m.exact[k], es...)
		}
		for k, es := range lx.stems {
			m.stems[k] = append(m.stems[k], es...)
		}
		for w := range lx.skip {
			m.skip[w] = true
		}
	}
	return m
}

// parseLexicon reads the format described in common.txt.
func parseLexicon(src string) (*lexicon, error) {
	lx := newLexicon()
	section := ""
	for n, line := range strings.Split(src, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			if _, ok := sectionKind(section); !ok {
				return nil, fmt.Errorf("line %d: unknown section %q", n+1, section)
			}
			continue
		}
		if err := lx.add(section, line); err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
	}
	return lx, nil
}

// add parses one entry line of a section.
func (lx *lexicon) add(section, line string) error {
	fields := strings.Fields(line)
	switch section {
	case "":
		return fmt.Errorf("entry %q before any [section]", line)
	case "skip", "stop":
		set := lx.stop
		if section == "skip" {
			set = lx.skip
		}
		for _, f := range fields {
			set[fold(f)] = true
		}
		return nil
	}
	k, _ := sectionKind(section)
	if k == kindNegator && len(fields) > 1 {
		for _, f := range fields { // a word list: negators are single words
			if err := lx.add(section, f); err != nil {
				return err
			}
		}
		return nil
	}
	e := &entry{kind: k, weight: 1}
	if w, err := strconv.ParseFloat(fields[len(fields)-1], 64); err == nil {
		e.weight, fields = w, fields[:len(fields)-1]
	}
	if len(fields) == 0 || fields[0] == "_" {
		return fmt.Errorf("entry %q has no first word", line)
	}
	for _, f := range fields {
		t := term{any: f == "_", stem: strings.HasSuffix(f, "*")}
		t.text = fold(strings.TrimSuffix(f, "*"))
		e.terms = append(e.terms, t)
	}
	first := e.terms[0].text
	if !e.terms[0].stem {
		lx.exact[first] = append(lx.exact[first], e)
		return nil
	}
	if len(first) < stemKey {
		return fmt.Errorf("stem %q is shorter than %d bytes", first, stemKey)
	}
	lx.stems[first[:stemKey]] = append(lx.stems[first[:stemKey]], e)
	return nil
}

// match finds the entry that starts at toks[i]: the one with the most words,
// then the longest first word, then the heaviest. It returns nil when none does.
func match(lx *lexicon, toks []token, i int) *entry {
	w := toks[i].word
	if len(w) > maxWord {
		return nil
	}
	var best *entry
	bestLen := 0
	consider := func(e *entry, firstLen int) {
		if !fits(e, toks, i) {
			return
		}
		if best == nil || len(e.terms) > len(best.terms) ||
			len(e.terms) == len(best.terms) && (firstLen > bestLen || firstLen == bestLen && e.weight > best.weight) {
			best, bestLen = e, firstLen
		}
	}
	for _, e := range lx.exact[w] {
		consider(e, len(w)+1) // a whole-word entry beats a stem of the same length
	}
	if len(w) >= stemKey {
		for _, e := range lx.stems[w[:stemKey]] {
			if stem := e.terms[0].text; strings.HasPrefix(w, stem) {
				consider(e, len(stem))
			}
		}
	}
	return best
}

// fits reports whether the words after an entry's first one follow toks[i]
// within the same clause.
func fits(e *entry, toks []token, i int) bool {
	for k, t := range e.terms[1:] {
		j := i + 1 + k
		if j >= len(toks) || toks[j].brk {
			return false
		}
		w := toks[j].word
		if !t.any && w != t.text && !(t.stem && strings.HasPrefix(w, t.text)) {
			return false
		}
	}
	return true
}
