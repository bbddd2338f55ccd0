package spam

import (
	"math"
	"slices"
)

// Training settings. They are constants, not options, so that the shipped
// model.txt is a pure function of the training data.
const (
	// minDocs drops words seen in fewer comments: a word seen once or twice
	// is more likely a name or a typo than evidence.
	minDocs = 3
	// ruleL2 and wordL2 pull weights towards their priors (a rule's hand-set
	// weight, zero for a word). Words are pulled 20 times harder, so that what
	// the rules can explain is left to them: rules work in every language, a
	// word weight only in the language it was learned from.
	ruleL2 = 0.0005
	wordL2 = 0.01
	// steps and rate drive full-batch gradient descent, which needs no
	// randomness and so gives the same model on every run. After 800 steps
	// every weight is within 0.01 of where 6,000 steps take it.
	steps = 800
	rate  = 1.0
)

// Train fits a model to examples by logistic regression over the rule
// features and the words. The shipped model.txt is Train over the five files
// in testdata; regenerate it, after changing the rules, the phrase lists or
// the settings above, with
//
//	go run ./server/spam/internal/train
//
// from the repository root (or go generate ./server/spam). TestShippedModel
// fails until you do.
func Train(examples []Example) *Model {
	ex := newExtractor()
	feats := make([]features, len(examples))
	for i, e := range examples {
		feats[i] = ex.extract(e.Input)
	}
	vocab := vocabulary(feats)
	p := newProblem(examples, feats, vocab, ex.specs)
	p.solve()
	return p.model(vocab)
}

// vocabulary returns the words that occur in at least minDocs examples, sorted.
func vocabulary(feats []features) []string {
	docs := make(map[string]int)
	for _, f := range feats {
		for _, w := range f.words {
			docs[w]++
		}
	}
	var v []string
	for w, n := range docs {
		if n >= minDocs {
			v = append(v, w)
		}
	}
	slices.Sort(v)
	return v
}

// problem is the regression in dense-index form: feature i < numRules is a
// rule, the rest are words in vocabulary order. Everything is kept in slices
// and visited in a fixed order, because summing floats in map order would
// make the result differ from run to run.
type problem struct {
	rows  [][]int     // feature indexes of each example
	vals  [][]float64 // their values
	label []float64   // 1 spam, 0 ham
	prior []float64   // the weight each feature is pulled towards
	l2    []float64
	w     []float64
	bias  float64
}

func newProblem(examples []Example, feats []features, vocab []string, specs []ruleSpec) *problem {
	n := int(numRules) + len(vocab)
	p := &problem{prior: make([]float64, n), l2: make([]float64, n), w: make([]float64, n)}
	for i := range n {
		p.l2[i] = wordL2
		if i < int(numRules) {
			p.prior[i], p.l2[i], p.w[i] = specs[i].prior, ruleL2, specs[i].prior
		}
	}
	for i, f := range feats {
		var idx []int
		var val []float64
		for _, h := range f.rules {
			idx, val = append(idx, int(h.rule)), append(val, h.value)
		}
		for _, w := range f.words {
			if j, ok := slices.BinarySearch(vocab, w); ok {
				idx, val = append(idx, int(numRules)+j), append(val, 1)
			}
		}
		y := 0.0
		if examples[i].Spam {
			y = 1
		}
		p.rows, p.vals, p.label = append(p.rows, idx), append(p.vals, val), append(p.label, y)
	}
	return p
}

// solve minimises the mean log-loss plus the pull towards the priors, by
// Nesterov's accelerated gradient descent: plain descent is slow on the rule
// weights, which are only weakly regularised. Rule weights are kept at zero
// or above: a rule is evidence for spam by design, and a negative weight
// (say, for shouting, which fans of a song do too) would make it evidence for
// ham and confuse the admin panel's reasons.
func (p *problem) solve() {
	n := len(p.w)
	grad, prev, look := make([]float64, n), slices.Clone(p.w), make([]float64, n)
	prevBias := p.bias
	for k := range steps {
		// Step from a look-ahead point past the current weights.
		mom := float64(k) / float64(k+3)
		for j := range look {
			look[j] = p.w[j] + mom*(p.w[j]-prev[j])
		}
		lookBias := p.bias + mom*(p.bias-prevBias)
		gb := p.gradient(look, lookBias, grad)
		copy(prev, p.w)
		prevBias = p.bias
		p.bias = lookBias - rate*gb
		for j := range p.w {
			p.w[j] = look[j] - rate*(grad[j]+p.l2[j]*(look[j]-p.prior[j]))
			if j < int(numRules) && p.w[j] < 0 {
				p.w[j] = 0
			}
		}
	}
}

// gradient writes the gradient of the mean log-loss at (w, bias) into grad
// and returns the bias's.
func (p *problem) gradient(w []float64, bias float64, grad []float64) float64 {
	// CPUs may differ in the last bit of a result (a fused multiply-add,
	// math.Exp's assembly). The explicit float64 conversions forbid fusing
	// here, in the sums that matter most, and model.txt's four decimals
	// absorb the rest unless a weight lands on a rounding boundary.
	clear(grad)
	gb := 0.0
	for i, idx := range p.rows {
		z := bias
		for k, j := range idx {
			z += float64(w[j] * p.vals[i][k])
		}
		g := 1/(1+math.Exp(-z)) - p.label[i]
		gb += g
		for k, j := range idx {
			grad[j] += float64(g * p.vals[i][k])
		}
	}
	inv := 1 / float64(len(p.rows))
	for j := range grad {
		grad[j] *= inv
	}
	return gb * inv
}

// model rounds the weights as model.txt stores them, so that a model fresh
// from Train and one read back from its text behave the same.
func (p *problem) model(vocab []string) *Model {
	round := func(w float64) float64 { return math.Round(w*1e4) / 1e4 }
	m := &Model{bias: round(p.bias), words: make(map[string]float64)}
	for i := range numRules {
		m.rules[i] = round(p.w[i])
	}
	for j, w := range vocab {
		if r := round(p.w[int(numRules)+j]); r != 0 {
			m.words[w] = r
		}
	}
	return m
}
