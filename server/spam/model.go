package spam

import (
	"bufio"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// modelHeader starts model.txt and names the program that writes it.
const modelHeader = "# Parley spam model, written by Train: go run ./server/spam/internal/train (from the repository root). Do not edit.\n"

// Model holds the trained weights: a bias, one weight per rule and one per
// known word, all in log-odds. Build one with Train or ParseModel; it is never
// changed afterwards, so it may be shared between goroutines.
type Model struct {
	bias  float64
	rules [numRules]float64
	words map[string]float64
}

// MarshalText writes the model as text: the header, "bias w", one "rule name w"
// line per rule in rule order, and one "word w weight" line per word in sorted
// order. Weights are rounded to four decimals, which keeps the file small and
// makes it byte-for-byte reproducible across CPUs that differ in the last bit
// of a float. Words whose weight rounds to zero are left out.
func (m *Model) MarshalText() ([]byte, error) {
	var b strings.Builder
	b.WriteString(modelHeader)
	fmt.Fprintf(&b, "bias %s\n", weight(m.bias))
	for i, s := range specs() {
		fmt.Fprintf(&b, "rule %s %s\n", s.name, weight(m.rules[i]))
	}
	keys := make([]string, 0, len(m.words))
	for w := range m.words {
		keys = append(keys, w)
	}
	slices.Sort(keys)
	for _, w := range keys {
		if s := weight(m.words[w]); s != "0" {
			fmt.Fprintf(&b, "word %s %s\n", w, s)
		}
	}
	return []byte(b.String()), nil
}

// weight formats a weight to four decimals, without a sign on zero.
func weight(w float64) string {
	r := math.Round(w*1e4) / 1e4
	if r == 0 {
		return "0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// ParseModel reads what MarshalText writes. Every rule must be present, so a
// model from an older build with fewer rules is an error, not a silent zero.
func ParseModel(text string) (*Model, error) {
	m := &Model{words: make(map[string]float64)}
	index := make(map[string]ruleID)
	for i, s := range specs() {
		index[s.name] = ruleID(i)
	}
	seen := make(map[ruleID]bool)
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return nil, fmt.Errorf("line %d: %q: too few fields", n, line)
		}
		w, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		switch {
		case f[0] == "bias" && len(f) == 2:
			m.bias = w
		case f[0] == "rule" && len(f) == 3:
			id, ok := index[f[1]]
			if !ok {
				return nil, fmt.Errorf("line %d: unknown rule %q", n, f[1])
			}
			m.rules[id], seen[id] = w, true
		case f[0] == "word" && len(f) == 3:
			m.words[f[1]] = w
		default:
			return nil, fmt.Errorf("line %d: %q: not bias, rule or word", n, line)
		}
	}
	if len(seen) != int(numRules) {
		return nil, fmt.Errorf("model has %d of %d rules", len(seen), numRules)
	}
	return m, nil
}
