package spam

import (
	"regexp"
	"slices"
	"strings"
)

var (
	urlRe   = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"']+|\bwatch\?v=[\w-]+`)
	emailRe = regexp.MustCompile(`(?i)[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}`)
	// domainRe is a host written without a scheme ("murdev.com/x"). The
	// top-level domains are the ones spam uses; "co", "me" and "us" are
	// listed for shorteners such as x.co.
	domainRe = regexp.MustCompile(`(?i)\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|ly|io|tv|ru|pl|hr|gr|de|fr|es|uk|eu|xyz|online|site|club|top|gl|gy|cc|ws|su|us|co|me)\b(?:/\S*)?`)
	// spacedDomainRe is a host spelled to dodge link filters: "site . com",
	// "site(dot)com".
	spacedDomainRe = regexp.MustCompile(`(?i)\b[a-z0-9][a-z0-9-]{2,}(?:\s+\.\s*|\.\s+|\s*\(dot\)\s*)(?:com|net|org)\b`)
	phoneRe        = regexp.MustCompile(`\+?\(?\d[\d\s().-]{6,20}\d`)
)

// extractor turns an Input into features. It is built once and only read.
type extractor struct {
	specs      []ruleSpec
	promo      phraseSet
	money      phraseSet
	adWords    phraseSet
	shorteners []string // sorted, for binary search
}

func newExtractor() *extractor {
	s := shorteners()
	slices.Sort(s)
	return &extractor{
		specs:      specs(),
		promo:      newPhraseSet(promoPhrases()...),
		money:      newPhraseSet(moneyPhrases()...),
		adWords:    newPhraseSet(adWords(), promoPhrases()[0], moneyPhrases()[0]),
		shorteners: s,
	}
}

// hit is one rule that fired: value is what its weight is multiplied by, and
// count is what the reason reports ("3 links").
type hit struct {
	rule  ruleID
	value float64
	count int
}

// features is everything the model looks at in one comment.
type features struct {
	rules []hit
	words []string // distinct folded words of the prose, sorted
}

// extract computes the features of in. The body is split into links, email
// addresses and domains, each counted by a rule, and the prose left over,
// which the word model and the text rules read.
func (x *extractor) extract(in Input) features {
	body, hrefs := clean(in.Body)
	emails := emailRe.FindAllString(body, -1)
	prose := emailRe.ReplaceAllString(body, " ")
	links := distinct(append(urlRe.FindAllString(prose, -1), hrefs...))
	prose = urlRe.ReplaceAllString(prose, " ")
	domains := append(domainRe.FindAllString(prose, -1), spacedDomainRe.FindAllString(prose, -1)...)
	prose = spacedDomainRe.ReplaceAllString(domainRe.ReplaceAllString(prose, " "), " ")

	all := words(fold(prose))
	padded := " " + strings.Join(all, " ") + " "
	var f features
	add := func(r ruleID, count int, ok bool) {
		if ok && count > 0 {
			f.rules = append(f.rules, hit{r, float64(min(count, 3)), count})
		}
	}
	add(ruleLinks, len(links), true)
	add(ruleShortener, 1, x.anyShortener(links, domains))
	add(ruleBareDomain, len(domains), true)
	add(rulePromo, 1, x.promo.count(padded) > 0)
	add(ruleMoney, 1, x.money.count(padded) > 0 || currencyRe.MatchString(prose))
	add(ruleShouting, 1, shouting(prose))
	add(ruleRepeats, 1, longestRun(prose) >= 5)
	add(ruleEmojiRun, 1, longestSymbolRun(prose) >= 5)
	add(rulePhone, 1, hasPhone(prose))
	add(ruleEmail, 1, len(emails) > 0)
	add(ruleBareLink, 1, len(links)+len(domains) > 0 && letters(prose) < 20)
	add(ruleWebsiteShortener, 1, in.Website != "" && x.isShortener(in.Website))
	add(ruleAuthorLink, 1, urlRe.MatchString(in.Author) || domainRe.MatchString(in.Author))
	add(ruleAuthorAd, 1, x.adWords.count(" "+strings.Join(words(fold(in.Author)), " ")+" ") > 0)
	f.words = modelWords(all)
	return f
}

func (x *extractor) anyShortener(links, domains []string) bool {
	for _, l := range append(slices.Clip(links), domains...) {
		if x.isShortener(l) {
			return true
		}
	}
	return false
}

// isShortener reports whether a link or domain points at a shortening host.
func (x *extractor) isShortener(link string) bool {
	_, found := slices.BinarySearch(x.shorteners, host(link))
	return found
}

// host returns the lowercase host of a link written with or without a
// scheme, with spaces and "(dot)" undone and a leading "www." removed.
func host(link string) string {
	h := strings.ToLower(link)
	h = strings.NewReplacer(" ", "", "\t", "", "\n", "", "(dot)", ".").Replace(h)
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.IndexAny(h, "/?#:"); i >= 0 {
		h = h[:i]
	}
	return strings.TrimPrefix(h, "www.")
}

// modelWords keeps the words the model weighs: distinct, at least three
// characters, not numbers, and not absurdly long. Two-letter words are left
// out because they are the ones most often shared between languages with
// different meanings ("to" is English, Polish and Croatian; "on" is "he" in
// the last two), so an English weight on them would follow them abroad.
func modelWords(all []string) []string {
	var out []string
	for _, w := range all {
		n := len([]rune(w))
		if n < 3 || n > 24 || isNumber(w) {
			continue
		}
		out = append(out, w)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func distinct(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
