package tone

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestHeldOut scores testdata/heldout.tsv: comments written by someone
// else after the lexicons were done, never used to tune them. It is small
// (36 comments), so it checks that the corpus figures are not only the
// author's own phrasing; the same 0.85 bar applies to the whole set.
func TestHeldOut(t *testing.T) {
	f, err := os.Open("testdata/heldout.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	right, n := 0, 0
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		if first || sc.Text() == "" {
			continue
		}
		fields := strings.SplitN(sc.Text(), "\t", 3)
		if len(fields) != 3 {
			t.Fatalf("bad line %q", sc.Text())
		}
		n++
		r := Score(fields[2])
		if r.Negative == (fields[0] == "negative") {
			right++
		} else {
			t.Logf("wrong: %s/%s %.2f %v %q", fields[1], fields[0], r.Score, r.Cues, fields[2])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	acc := float64(right) / float64(n)
	t.Logf("held out: %d/%d right (%.3f)", right, n, acc)
	if acc < 0.85 {
		t.Errorf("held-out accuracy %.3f, want >= 0.85", acc)
	}
}
