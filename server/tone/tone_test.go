package tone

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/server/markup/markuptest"
)

func TestLexicons(t *testing.T) {
	for _, name := range []string{"common", "en", "el", "pl", "hr"} {
		src, err := lexiconFS.ReadFile("lexicon/" + name + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parseLexicon(string(src)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, bad := range []string{"refund", "[nope]\nx", "[neg]\n_ x", "[neg]\n1.5", "[neg]\na*"} {
		if _, err := parseLexicon(bad); err == nil {
			t.Errorf("parseLexicon(%q): no error", bad)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ΑΠΆΤΗ", "απατη"},
		{"απατεώνες", "απατεωνεσ"},
		{"Ϊ ΐ ϋ", "ι ι υ"},
		{"pieniędzy Łódź żółć", "pieniedzy lodz zolc"},
		{"reklamaciju đubre ČEKAM", "reklamaciju djubre cekam"},
		{"DON'T doesn’t", "dont doesnt"},
		{"α\u0301πάτη", "απατη"}, // decomposed accent
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
		var words []string
		for _, tok := range tokenise(tt.in).toks {
			words = append(words, tok.word)
		}
		if got := strings.Join(words, " "); got != tt.want {
			t.Errorf("tokenise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRules checks each rule on short texts: whether the text reads as
// negative, and a cue it must (or must not) give.
func TestRules(t *testing.T) {
	tests := []struct {
		name, in string
		negative bool
		cue      string // a cue that must be present; "-x" one that must not
	}{
		{"negated negative is not negative", "Not bad.", false, ""},
		{"negated positive is negative", "Not good.", true, "not good"},
		{"negation reaches past auxiliaries", "I'm not happy with it.", true, "not happy"},
		{"negation stops at a clause", "Not sure. Happy with it.", false, ""},
		{"negated expectation", "The app is not working", true, "not working"},
		{"contraction", "It doesn't work and nobody replies", true, "doesn't work"},
		{"expectation alone is neutral", "It works.", false, ""},
		{"pl nie polecam", "Nie polecam.", true, "nie polecam"},
		{"pl nie jest źle", "Nie jest źle.", false, ""},
		{"pl nie doszła", "Paczka nie doszła.", true, "nie doszła"},
		{"hr ne radi", "Ne radi.", true, "ne radi"},
		{"hr nikad nije stiglo", "Nikad nije stiglo.", true, "nije stiglo"},
		{"hr nije loše", "Nije loše.", false, ""},
		{"el δεν λειτουργεί", "Δεν λειτουργεί.", true, "δεν λειτουργεί"},
		{"el δεν είμαι ευχαριστημένος", "Δεν είμαι ευχαριστημένος.", true, "δεν είμαι ευχαριστημένος"},
		{"el δεν ήρθε ποτέ", "Η παραγγελία δεν ήρθε ποτέ.", true, "δεν ήρθε"},
		{"el δεν είναι κακό", "Δεν είναι κακό.", false, ""},
		{"complaint en", "I want a refund", true, "refund"},
		{"complaint en phrase", "lost order, still waiting", true, "still waiting"},
		{"complaint pl folded", "prosze o zwrot pieniedzy", true, "zwrot pieniedzy"},
		{"complaint pl inflected", "czekam na zwrotu", true, "zwrotu"},
		{"complaint pl oszustwo", "To oszustwo", true, "oszustwo"},
		{"complaint hr folded", "trazim povrat novca", true, "povrat novca"},
		{"complaint hr inflected", "poslao sam reklamaciju", true, "reklamaciju"},
		{"complaint hr prevara", "prevara", true, "prevara"},
		{"complaint el accents", "ΑΠΑΤΗ", true, "απατη"},
		{"complaint el inflected", "απατεώνες", true, "απατεώνες"},
		{"complaint el phrase", "θέλω επιστροφή χρημάτων", true, "επιστροφή χρημάτων"},
		{"negated complaint stays a complaint", "no refund yet", true, "refund"},
		{"chargeback", "filing a chargeback", true, "chargeback"},
		{"positive en", "Thanks, great service!", false, "-thanks"},
		{"positive pl", "Dziękuję, super!", false, ""},
		{"positive hr", "Hvala, odlično!", false, ""},
		{"positive el", "Ευχαριστώ, τέλειο!", false, ""},
		{"question alone is neutral", "Does it come in blue?", false, ""},
		{"question pl", "Czy jest rozmiar 42?", false, ""},
		{"no problem is not negative", "No problem at all, thanks", false, ""},
		{"pl bez problemu", "Wymienili bez żadnego problemu.", false, ""},
		{"idiom", "I can't recommend this enough", false, ""},
		{"emoji", "😡😡", true, "😡"},
		{"empty", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Score(tt.in)
			if r.Negative != tt.negative {
				t.Errorf("Score(%q) = %.2f %v, negative %v; want %v", tt.in, r.Score, r.Cues, r.Negative, tt.negative)
			}
			if want, ok := strings.CutPrefix(tt.cue, "-"); ok && slices.Contains(r.Cues, want) {
				t.Errorf("Score(%q) cues %v, do not want %q", tt.in, r.Cues, want)
			} else if !ok && tt.cue != "" && !slices.Contains(r.Cues, tt.cue) {
				t.Errorf("Score(%q) cues %v, want %q", tt.in, r.Cues, tt.cue)
			}
		})
	}
}

// TestOrder checks rules that move a score without deciding it: each pair
// must score strictly in order.
func TestOrder(t *testing.T) {
	tests := []struct{ name, lower, higher string }{
		{"intensifier en", "I am disappointed", "I am very disappointed"},
		{"intensifier pl", "Jestem rozczarowana", "Jestem bardzo rozczarowana"},
		{"intensifier hr", "Razočarana sam", "Jako sam razočarana"},
		{"intensifier el", "Κακή ποιότητα", "Πολύ κακή ποιότητα"},
		{"intensifier totally", "useless", "totally useless"},
		{"caps", "the parcel never arrived", "THE PARCEL NEVER ARRIVED"},
		{"caps word", "this is a scam", "this is a SCAM"},
		{"exclamation", "the parcel never arrived", "the parcel never arrived!!!"},
		{"complaint", "where is my parcel", "where is my parcel, I want a refund"},
		{"positive lowers", "It broke, thank you for the quick help", "It broke"},
		{"neutral above positive", "What size is it?", "Great, thank you!"},
		{"after but weighs more", "The box was damaged but works great", "Works great but the box was damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := Score(tt.lower), Score(tt.higher)
			if tt.name == "neutral above positive" {
				lo, hi = hi, lo
			}
			if !(lo.Score < hi.Score) {
				t.Errorf("want %.3f (%q %v) < %.3f (%q %v)", lo.Score, tt.lower, lo.Cues, hi.Score, tt.higher, hi.Cues)
			}
		})
	}
	if r := Score("THE PARCEL NEVER ARRIVED"); !slices.Contains(r.Cues, "CAPS") {
		t.Errorf("cues %v, want CAPS", r.Cues)
	}
	if r := Score("the parcel never arrived!!!!!"); !slices.Contains(r.Cues, "!!!") {
		t.Errorf("cues %v, want !!!", r.Cues)
	}
	if r := Score("IS THE VAT INCLUDED?"); r.Negative {
		t.Errorf("a shouted question %.2f %v: want not negative", r.Score, r.Cues)
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"The parcel never arrived and I want my money back.", "en"},
		{"Η παραγγελία δεν ήρθε ποτέ.", "el"},
		{"Paczka nie doszła, proszę o zwrot pieniędzy.", "pl"},
		{"paczka nie doszla, prosze o zwrot pieniedzy", "pl"},
		{"Paket nikad nije stigao, tražim povrat novca.", "hr"},
		{"paket nikad nije stigao, trazim povrat novca", "hr"},
		{"42", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Score(tt.in).Lang; got != tt.want {
			t.Errorf("Score(%q).Lang = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCues checks the cue list's bounds: at most 5, distinct, never longer
// than maxCueLength.
func TestCues(t *testing.T) {
	r := Score("SCAM!!! Terrible, awful, horrible, useless rubbish, worst shop, refund now, chargeback filed, not working, never arrived")
	if len(r.Cues) != 5 {
		t.Fatalf("cues %v, want 5", r.Cues)
	}
	seen := map[string]bool{}
	for _, c := range r.Cues {
		if seen[c] || utf8.RuneCountInString(c) > maxCueLength {
			t.Errorf("cue %q repeated or too long in %v", c, r.Cues)
		}
		seen[c] = true
	}
	if r := Score("Δεν " + strings.Repeat("είμαι ", 3) + "ευχαριστημένος"); len(r.Cues) == 0 || utf8.RuneCountInString(r.Cues[0]) > maxCueLength {
		t.Errorf("cues %v", r.Cues)
	}
}

// TestOddInput: invalid UTF-8, control bytes and a megabyte of text give a
// bounded result quickly.
func TestOddInput(t *testing.T) {
	for _, in := range []string{"\xff\xfe refund \xc3", "\x00\x01\x02", strings.Repeat("!", 10000), strings.Repeat("ă", 1<<16), "\u202eevil\u202c", strings.Repeat("a", 1<<20)} {
		checkBounds(t, in)
	}
	long := strings.Repeat("The parcel never arrived, I want a refund. ", 1<<20/43+1)
	start := time.Now()
	r := Score(long)
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("1 MB took %v", d)
	}
	if !r.Negative || len(r.Cues) > 5 {
		t.Errorf("1 MB of complaints: %.2f %v", r.Score, r.Cues)
	}
}

// TestNaughtyStrings runs the Big List of Naughty Strings (markup's
// testdata, with its attribution there) through Score.
func TestNaughtyStrings(t *testing.T) {
	for _, name := range []string{"blns.txt", "xss-payloads.txt"} {
		for _, line := range markuptest.Corpus(t, name) {
			checkBounds(t, line)
		}
	}
}

func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, c := range readCorpus(t, "pl") {
				checkBounds(t, c.text)
			}
		})
	}
	wg.Wait()
}

func FuzzScore(f *testing.F) {
	for _, s := range []string{"", "not bad", "NIE POLECAM!!!", "δεν ήρθε ποτέ", "povrat novca", "\xff", "😡", "can't recommend _ enough"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkBounds(t, s)
	})
}

// checkBounds fails unless Score(s) is a finite number in [0, 1] with a
// consistent decision and at most 5 cues.
func checkBounds(tb testing.TB, s string) {
	tb.Helper()
	r := Score(s)
	if math.IsNaN(r.Score) || r.Score < 0 || r.Score > 1 || r.Negative != (r.Score >= Threshold) || len(r.Cues) > 5 {
		tb.Errorf("Score(%.40q) = %+v", s, r)
	}
	switch r.Lang {
	case "", "en", "el", "pl", "hr":
	default:
		tb.Errorf("Score(%.40q).Lang = %q", s, r.Lang)
	}
}

// BenchmarkScore reads a typical 300-byte shop comment.
func BenchmarkScore(b *testing.B) {
	const comment = "Ordered the blue kettle three weeks ago and it still hasn't arrived. I emailed " +
		"support twice and nobody replied, which is really disappointing because the last order " +
		"was fine. Tracking says it's been sitting in the depot since the 3rd. I'd like a refund " +
		"if it can't be delivered this week, please!!"
	if len(comment) < 280 || len(comment) > 320 {
		b.Fatalf("comment is %d bytes", len(comment))
	}
	Score(comment) // build the lexicons outside the timing
	b.ReportAllocs()
	for b.Loop() {
		Score(comment)
	}
}
