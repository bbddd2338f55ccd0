package tone

// Languages Score tells apart in Latin script, in the order of the arrays below.
const (
	langEN = iota
	langPL
	langHR
)

var latinLangs = [...]string{langEN: "en", langPL: "pl", langHR: "hr"}

// detect names the language of t: "el" from the script, and for Latin text
// "en", "pl" or "hr" from three kinds of evidence: letters only one of them
// uses (ą ł ż; č ć đ), frequent words, and letter pairs typical of each
// spelling (th, sz, lj). It returns "" when the evidence is thin or split.
func detect(t *text, files map[string]*lexicon) string {
	if t.greek > 0 && t.greek >= t.latin {
		return "el"
	}
	var score [3]float64
	score[langPL] = 2 * float64(t.plMarks)
	score[langHR] = 2 * float64(t.hrMarks)
	for i, tok := range t.toks {
		if i == 400 { // plenty to tell the language
			break
		}
		for l, name := range latinLangs {
			if files[name].stop[tok.word] {
				score[l]++
			}
		}
		spelling(tok.word, &score)
	}
	best, second := 0, -1.0
	for l := 1; l < len(score); l++ {
		if score[l] > score[best] {
			best = l
		}
	}
	for l, s := range score {
		if l != best && s > second {
			second = s
		}
	}
	if score[best] < 1.5 || score[best] < second+1 {
		return ""
	}
	return latinLangs[best]
}

// spelling adds the evidence of a folded word's letter pairs. Polish writes
// w and no v, Croatian v and no w; the digraphs are each language's own.
func spelling(w string, score *[3]float64) {
	const pair = 0.4
	for i := 0; i+1 < len(w); i++ {
		switch w[i : i+2] {
		case "th", "sh", "wh", "ck", "ee", "oo", "ea", "ou", "ph", "gh", "ay":
			score[langEN] += pair
		case "sz", "cz", "rz", "dz", "ie", "ow", "yc", "ny", "aw", "ew", "wy", "wi":
			score[langPL] += pair
		case "lj", "nj", "dj", "ij", "je", "ov", "vr", "va", "vi", "uj":
			score[langHR] += pair
		}
	}
	if len(w) > 0 && (w[len(w)-1] == 'y' || w[len(w)-1] == 'w') {
		score[langPL] += pair / 2
		score[langEN] += pair / 2
	}
}
