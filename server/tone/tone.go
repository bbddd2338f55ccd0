// Package tone reads how negative a comment is, with lexicons and a few rules
// rather than a trained model, so that every score can be explained: Cues
// names what weighed most. It knows English, Greek, Polish and Croatian.
// It imports the stdlib only.
//
// A text is tokenised and folded (lower case; Greek without accents; Polish
// and Croatian also matched without diacritics), its language is detected,
// and its words are matched against the lexicons in lexicon/: negative
// words, positive words, complaint topics (refund, zwrot, povrat, επιστροφή
// χρημάτων), things a customer expects (works, arrived, replied) that are a
// complaint when negated, negators, intensifiers and "but". Shouting in
// capitals and runs of exclamation marks add to what is already negative.
package tone

import (
	"math"
	"slices"
	"strings"
)

// Threshold is the Score from which a text counts as negative.
const Threshold = 0.5

// Result is one text's reading.
type Result struct {
	Score    float64  // 0 (calm or positive) … 1 (very negative)
	Negative bool     // Score >= Threshold
	Lang     string   // "en", "el", "pl", "hr" or "" when unsure
	Cues     []string // what raised the score most, heaviest first, at most 5: "refund", "not working", "!!!", "CAPS"
}

// Score reads text. It is safe for concurrent use; the lexicons are built
// on the first call. Only the first 32 KB of text are read.
func Score(text string) Result {
	lib := loadLibrary()
	t := tokenise(text)
	lang := detect(&t, lib.files)
	r := read(&t, lib.merged[lang])
	s := r.score()
	return Result{Score: s, Negative: s >= Threshold, Lang: lang, Cues: r.topCues(5)}
}

// cue is one contribution to the negative side.
type cue struct {
	text   string
	weight float64
}

// reading is the evidence found in a text.
type reading struct {
	neg, pos float64 // weighed negative and positive evidence
	cues     []cue
	// interjected is positive evidence said as a clause of its own ("Great,"
	// "Brawo." "Μπράβο σας."): in a text that is otherwise negative it is
	// sarcasm, and it does not count.
	interjected float64
}

// The shape of the score: raw evidence at pivot gives Threshold, and each
// unit of evidence more or less moves the logistic curve by slope.
const (
	pivot = 0.8
	slope = 3.0
)

// Rule weights. A negated negative word counts as this share of a positive
// one ("not bad"), a negated positive word as this share of a negative one
// ("not happy"), a word in capitals inside calmer text this much more, and
// the clause before "but" this much.
const (
	negatedNeg   = 0.4
	negatedPos   = 1.2
	capsWord     = 1.4
	beforeBut    = 0.5
	negScope     = 4 // words a negator reaches, counting skip words
	intensScope  = 3
	shoutAdd     = 0.25 // CAPS: added, plus shoutMul times the negative evidence
	shoutMul     = 0.3
	bangAdd      = 0.15 // "!!" or more
	bangMul      = 0.2
	maxCueLength = 40 // runes
)

// scopes is what a negator and an intensifier still reach while read walks.
type scopes struct {
	negFrom, negLeft int // the negator's token, and how many more words it reaches
	boost            float64
	boostLeft        int
}

// close ends both scopes: at a clause boundary, or once a content word took them.
func (s *scopes) close() { s.negLeft, s.boost, s.boostLeft = 0, 1, 0 }

// pass lets a skip word or an intensifier through without closing the scopes.
func (s *scopes) pass(intens *entry) {
	if intens != nil {
		s.boost, s.boostLeft = s.boost*intens.weight, intensScope
	}
	s.negLeft--
	if s.boostLeft--; s.boostLeft < 0 {
		s.boost = 1
	}
}

// read walks the tokens once, applying negation, intensity and "but".
func read(t *text, lx *lexicon) reading {
	var r reading
	sc := scopes{boost: 1}
	shouting := t.shouting()
	for i := 0; i < len(t.toks); {
		tok := t.toks[i]
		if tok.brk {
			sc.close()
		}
		e := match(lx, t.toks, i)
		step := 1
		if e != nil {
			step = len(e.terms)
		}
		switch {
		case e == nil && lx.skip[tok.word], e != nil && e.kind == kindIntens:
			sc.pass(e)
		case e == nil:
			sc.close() // a content word takes the negation and intensity
		case e.kind == kindNegator:
			sc.negFrom, sc.negLeft = i, negScope
		case e.kind == kindBut:
			r.scale(beforeBut)
			sc.close()
		default:
			r.weigh(t, i, e, &sc, shouting)
			sc.close()
		}
		i += step
	}
	r.emphasis(t, shouting)
	return r
}

// weigh adds the sentiment entry e matched at toks[i], under the open scopes.
func (r *reading) weigh(t *text, i int, e *entry, sc *scopes, shouting bool) {
	negated := sc.negLeft > 0
	v := value(e, negated) * sc.boost
	if t.toks[i].caps && !shouting {
		v *= capsWord
	}
	from, n := i, len(e.terms)
	if negated && e.kind != kindComplaint { // the negation is part of the cue: "not working"
		from = sc.negFrom
	}
	r.add(v, t.src[t.toks[from].start:t.toks[i+n-1].end])
	if v < 0 && clause(t.toks, i, n) {
		r.interjected -= v
	}
}

// clause reports whether toks[i:i+n] is a clause of its own.
func clause(toks []token, i, n int) bool {
	return (i == 0 || toks[i].brk) && (i+n == len(toks) || toks[i+n].brk)
}

// value is what an entry weighs, positive for negative evidence.
func value(e *entry, negated bool) float64 {
	switch e.kind {
	case kindNeg:
		if negated {
			return -negatedNeg * e.weight
		}
		return e.weight
	case kindPos:
		if negated {
			return negatedPos * e.weight
		}
		return -e.weight
	case kindComplaint:
		return e.weight
	case kindExpect:
		if negated {
			return e.weight
		}
	}
	return 0
}

// add records one weighed match.
func (r *reading) add(v float64, text string) {
	switch {
	case v > 0:
		r.neg += v
		r.cues = append(r.cues, cue{text: text, weight: v})
	case v < 0:
		r.pos -= v
	}
}

// scale weighs everything so far by f.
func (r *reading) scale(f float64) {
	r.neg *= f
	r.pos *= f
	r.interjected *= f
	for i := range r.cues {
		r.cues[i].weight *= f
	}
}

// emphasis adds shouting and exclamation runs, which make negative text more
// negative and weigh a little on their own.
func (r *reading) emphasis(t *text, shouting bool) {
	if shouting {
		v := shoutAdd + shoutMul*r.neg
		r.neg += v
		r.cues = append(r.cues, cue{text: "CAPS", weight: v})
	}
	if t.bangs >= 2 {
		v := bangAdd + bangMul*r.neg
		r.neg += v
		r.cues = append(r.cues, cue{text: strings.Repeat("!", min(t.bangs, 3)), weight: v})
	}
}

// score maps the evidence to 0…1. Positive evidence counts for less the more
// negative evidence there is: "great, cancelled again" is sarcasm, and a
// complaint that ends in "thanks" is still a complaint.
func (r *reading) score() float64 {
	pos := r.pos
	if r.neg > pos-r.interjected {
		pos -= r.interjected
	}
	raw := r.neg - pos/(1+r.neg)
	return 1 / (1 + math.Exp(-slope*(raw-pivot)))
}

// clipRunes cuts s to at most n runes.
func clipRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// topCues returns the n heaviest distinct cues, lower-cased and shortened.
func (r *reading) topCues(n int) []string {
	if len(r.cues) == 0 {
		return nil
	}
	slices.SortStableFunc(r.cues, func(a, b cue) int {
		switch {
		case a.weight > b.weight:
			return -1
		case a.weight < b.weight:
			return 1
		}
		return 0
	})
	var out []string
	for _, c := range r.cues {
		text := c.text
		if text != "CAPS" {
			text = clipRunes(strings.ToLower(strings.Join(strings.Fields(text), " ")), maxCueLength)
		}
		if !slices.Contains(out, text) {
			out = append(out, text)
		}
		if len(out) == n {
			break
		}
	}
	return out
}
