package tone

import (
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
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
	stems map[string][]*entry // first word matched as a prefix
	skip  map[string]bool     // words negation and intensity reach past: is, jest, się, το, θα
	stop  map[string]bool     // frequent words that tell the language
}

// lexicons holds every language's lexicon, parsed once.
var lexicons = sync.OnceValue(func() map[string]*lexicon {
	m := map[string]*lexicon{}
	for _, name := range []string{"common", "en", "el", "pl", "hr"} {
		src, err := lexiconFS.ReadFile("lexicon/" + name + ".txt")
		if err != nil {
			panic(fmt.Sprintf("tone: %v", err)) // embedded: cannot happen in a built binary
		}
		lx, err := parseLexicon(string(src))
		if err != nil {
			panic(fmt.Sprintf("tone: lexicon %s: %v", name, err)) // TestLexicons parses every file
		}
		m[name] = lx
	}
	return m
})

// parseLexicon reads the format described in common.txt.
func parseLexicon(src string) (*lexicon, error) {
	lx := &lexicon{exact: map[string][]*entry{}, stems: map[string][]*entry{}, skip: map[string]bool{}, stop: map[string]bool{}}
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
	index := lx.exact
	if e.terms[0].stem {
		index = lx.stems
	}
	index[e.terms[0].text] = append(index[e.terms[0].text], e)
	return nil
}

// match finds the entry that starts at toks[i]: the one with the most words,
// then the longest first word, then the heaviest. It returns nil when none does.
func match(lxs []*lexicon, toks []token, i int) *entry {
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
	for _, lx := range lxs {
		for _, e := range lx.exact[w] {
			consider(e, len(w)+1) // a whole-word entry beats a stem of the same length
		}
		for k := len(w); k >= 2; k-- {
			if k < len(w) && !utf8.RuneStart(w[k]) {
				continue
			}
			for _, e := range lx.stems[w[:k]] {
				consider(e, k)
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
