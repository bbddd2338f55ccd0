package spam

import "fmt"

// ruleID names one language-independent rule. The order is the order of the
// rules in model.txt; add new rules at the end.
type ruleID int

const (
	ruleLinks ruleID = iota
	ruleShortener
	ruleBareDomain
	rulePromo
	ruleMoney
	ruleShouting
	ruleRepeats
	ruleEmojiRun
	rulePhone
	ruleEmail
	ruleBareLink
	ruleWebsiteShortener
	ruleAuthorLink
	ruleAuthorAd
	numRules
)

// ruleSpec describes a rule: its name in model.txt, the weight it starts from
// before training (and keeps when the training data never shows it), and how
// to say it in the admin panel.
type ruleSpec struct {
	name   string
	prior  float64
	reason func(count int) string
}

// specs returns the rules in ruleID order. Priors are log-odds: 1.0 makes a
// comment e (2.7) times more likely to be spam. They are set so that one rule
// alone rarely crosses the threshold; training then moves the weights of rules
// the data shows.
func specs() []ruleSpec {
	fixed := func(s string) func(int) string { return func(int) string { return s } }
	return []ruleSpec{
		ruleLinks:            {"links", 1.0, plural("link")},
		ruleShortener:        {"shortener", 2.5, fixed("link shortener")},
		ruleBareDomain:       {"bare_domain", 1.5, plural("bare domain")},
		rulePromo:            {"promo", 2.0, fixed("promotes a channel")},
		ruleMoney:            {"money", 2.0, fixed("money, crypto or pills")},
		ruleShouting:         {"shouting", 0.5, fixed("shouting")},
		ruleRepeats:          {"repeats", 0.3, fixed("repeated characters")},
		ruleEmojiRun:         {"emoji_run", 0.7, fixed("run of emoji")},
		rulePhone:            {"phone", 1.5, fixed("phone number")},
		ruleEmail:            {"email", 1.5, fixed("email address in text")},
		ruleBareLink:         {"bare_link", 1.0, fixed("link with little text")},
		ruleWebsiteShortener: {"website_shortener", 2.0, fixed("website is a link shortener")},
		ruleAuthorLink:       {"author_link", 2.5, fixed("author name is a link")},
		ruleAuthorAd:         {"author_ad", 2.0, fixed("author name is an advert")},
	}
}

// plural says "1 link", "3 links".
func plural(noun string) func(int) string {
	return func(n int) string {
		if n == 1 {
			return "1 " + noun
		}
		return fmt.Sprintf("%d %ss", n, noun)
	}
}
