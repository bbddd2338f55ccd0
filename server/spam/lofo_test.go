package spam

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpus is one labelled file of testdata.
type corpus struct {
	name     string
	examples []Example
}

func loadCorpora(tb testing.TB) []corpus {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.csv"))
	if err != nil || len(files) != 5 {
		tb.Fatalf("want 5 CSV files in testdata, got %d (%v)", len(files), err)
	}
	slices.Sort(files)
	var out []corpus
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatal(err)
		}
		ex, err := ReadCSV(f)
		f.Close()
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		out = append(out, corpus{filepath.Base(name), ex})
	}
	return out
}

// tally is a confusion matrix: spam rows and how many were caught, ham rows
// and how many were flagged.
type tally struct{ spam, caught, ham, flagged int }

func (t *tally) add(o tally) {
	t.spam, t.caught = t.spam+o.spam, t.caught+o.caught
	t.ham, t.flagged = t.ham+o.ham, t.flagged+o.flagged
}

func (t tally) recall() float64 { return float64(t.caught) / float64(t.spam) }
func (t tally) fpr() float64    { return float64(t.flagged) / float64(t.ham) }

func (t tally) String() string {
	return fmt.Sprintf("spam caught %4d/%4d = %5.1f%%   ham flagged %2d/%3d = %4.1f%%",
		t.caught, t.spam, 100*t.recall(), t.flagged, t.ham, 100*t.fpr())
}

// bodies is the set of normalised comment texts in examples.
func bodies(examples []Example) map[string]bool {
	seen := make(map[string]bool)
	for _, e := range examples {
		seen[bodyKey(e.Input.Body)] = true
	}
	return seen
}

func bodyKey(body string) string {
	s, _ := clean(body)
	return strings.Join(words(fold(s)), " ")
}

// evaluate scores examples and tallies them all, and separately those whose
// text is not in seen.
func evaluate(c *Classifier, examples []Example, seen map[string]bool) (all, unseen tally) {
	for _, e := range examples {
		var one tally
		spam := c.Check(e.Input).Spam
		switch {
		case e.Spam && spam:
			one = tally{spam: 1, caught: 1}
		case e.Spam:
			one = tally{spam: 1}
		case spam:
			one = tally{ham: 1, flagged: 1}
		default:
			one = tally{ham: 1}
		}
		all.add(one)
		if !seen[bodyKey(e.Input.Body)] {
			unseen.add(one)
		}
	}
	return all, unseen
}
