package spam

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Threshold is the score at or above which Check calls a comment spam. A score
// is a probability under the training data's mix of spam and ham, so 0.5 means
// "more likely spam than not"; see docs/BENCHMARKS.md for what it catches.
const Threshold = 0.5

// maxReasons caps Verdict.Reasons so the admin panel stays readable.
const maxReasons = 5

// minReason is the smallest contribution to the log-odds that is worth naming
// as a reason: below it the evidence barely moved the score.
const minReason = 0.4

// Input is what the score looks at. Email is accepted but not scored: it is
// never shown to readers, so a spammer gains nothing from what goes there.
type Input struct {
	Body, Author, Email, Website string
}

// Verdict is the result: Score in [0,1]; Spam when Score >= Threshold; Reasons
// are short human-readable strings for the admin panel, strongest first, at
// most 5.
type Verdict struct {
	Score   float64
	Spam    bool
	Reasons []string
}

// Classifier scores comments. It is safe for concurrent use: after New it is
// only read.
type Classifier struct {
	model *Model
	ex    *extractor
}

// modelText is the shipped model, written by Train over testdata/*.csv.
//
//go:generate go run ./internal/train -data testdata -out model.txt
//go:embed model.txt
var modelText string

// New returns a Classifier with the shipped model. Build it once: parsing the
// model and compiling the rules takes a few milliseconds.
func New() *Classifier {
	m, err := ParseModel(modelText)
	if err != nil {
		// The model is compiled into the binary, so this is a build mistake.
		panic(fmt.Sprintf("spam: shipped model: %v", err))
	}
	return newClassifier(m)
}

// NewWithModel returns a Classifier with a model from Train, such as one
// trained on part of the data to measure it on the rest.
func NewWithModel(m *Model) *Classifier { return newClassifier(m) }

func newClassifier(m *Model) *Classifier {
	return &Classifier{model: m, ex: newExtractor()}
}

// contribution is one piece of evidence and how far it moved the log-odds.
type contribution struct {
	reason string
	logit  float64
}

// Check scores one comment.
func (c *Classifier) Check(in Input) Verdict {
	f := c.ex.extract(in)
	z := c.model.bias
	var parts []contribution
	for _, h := range f.rules {
		w := c.model.rules[h.rule] * h.value
		z += w
		parts = append(parts, contribution{c.ex.specs[h.rule].reason(h.count), w})
	}
	wz, words := c.wordEvidence(f.words)
	z += wz
	if len(words) > 0 {
		parts = append(parts, contribution{"spam words: " + strings.Join(words, ", "), wz})
	}
	score := 1 / (1 + math.Exp(-z))
	return Verdict{Score: score, Spam: score >= Threshold, Reasons: reasons(parts)}
}

// wordEvidence sums the word weights and names up to three of the words that
// pushed the score up most.
func (c *Classifier) wordEvidence(words []string) (float64, []string) {
	var sum float64
	var up []contribution
	for _, w := range words {
		wt := c.model.words[w]
		sum += wt
		if wt >= minReason/2 {
			up = append(up, contribution{w, wt})
		}
	}
	if sum < minReason {
		return sum, nil
	}
	sort.SliceStable(up, func(i, j int) bool { return up[i].logit > up[j].logit })
	names := make([]string, 0, 3)
	for i := 0; i < len(up) && i < 3; i++ {
		names = append(names, up[i].reason)
	}
	return sum, names
}

// reasons keeps the contributions that pushed towards spam, strongest first.
func reasons(parts []contribution) []string {
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].logit > parts[j].logit })
	var out []string
	for _, p := range parts {
		if p.logit < minReason || len(out) == maxReasons {
			break
		}
		out = append(out, p.reason)
	}
	return out
}
