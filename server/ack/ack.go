// Package ack words the acknowledgement a reader sees right after posting:
// thanks, the site's reply target ("within 4 hours") and when to expect an
// answer ("by Monday 10:00"), in the reader's language and time zone, in
// the site owner's wording when they gave one. It knows en, de, el, es, fr,
// hr and pl, the embed's languages, with their weekday and month names
// and grammar written out here (no ICU).
//
// It imports the stdlib and sla only.
package ack

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/server/sla"
)

// Fallback is the language of a reader whose language is not one of
// Languages.
const Fallback = "en"

// Composer words acknowledgements. It is immutable and safe for
// concurrent use.
type Composer struct {
	langs map[string]*language
}

// New returns a Composer.
func New() *Composer { return &Composer{langs: languages()} }

// Input is what an acknowledgement is made of.
type Input struct {
	// Calendar (required) is the site's business time: its zone is shown when the
	// reader's is unknown, and its usual day length words long targets in
	// business days.
	Calendar *sla.Calendar
	// Target is the site's reply target in business time.
	Target time.Duration
	// Due is when the reply is due; zero means Target of business time
	// after Now (a preview).
	Due time.Time
	Now time.Time
	// Lang is the reader's language as a BCP 47 tag ("pl", "el-GR"); one
	// not in Languages means Fallback.
	Lang string
	// Zone is the reader's IANA time zone; "" or one that does not load
	// means the site's, named in the text.
	Zone string
	// Name is the commenter's name for {name}; "" drops it.
	Name string
	// Held says the comment waits for a moderator (pending, or spam, which
	// must read the same).
	Held bool
	// Texts are the site owner's wordings by language (see CheckText);
	// a language without one gets Default.
	Texts map[string]string
}

// Ack is an acknowledgement.
type Ack struct {
	Text       string
	Lang       string // the language Text is in
	ExpectedAt time.Time
	Target     time.Duration
}

// Compose words the acknowledgement of in.
func (c *Composer) Compose(in Input) Ack {
	lang := c.Lang(in.Lang)
	l := c.langs[lang]
	due := in.Due
	if due.IsZero() {
		due = in.Calendar.Add(in.Now, in.Target)
	}
	tmpl := strings.TrimSpace(in.Texts[lang])
	if tmpl == "" {
		tmpl = l.approved
	}
	vals := map[string]string{
		"target":   l.target(in.Target, usualDay(in.Calendar.Week())),
		"expected": l.expected(in.Now, due, in.Calendar.Location(), in.Zone),
		"name":     in.Name,
	}
	if in.Name == "" { // "Thanks, {name}!" becomes "Thanks!"
		tmpl = strings.NewReplacer(", {name}", "", " {name}", "", "{name}", "").Replace(tmpl)
	}
	text := fill(tmpl, vals)
	if in.Held {
		text += " " + l.held
	}
	return Ack{Text: text, Lang: lang, ExpectedAt: due.UTC(), Target: in.Target}
}

// Lang returns the language of tag ("el-GR" is "el") if the package speaks
// it, or else Fallback.
func (c *Composer) Lang(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	base, _, _ = strings.Cut(base, "_")
	if _, ok := c.langs[base]; ok {
		return base
	}
	return Fallback
}

// Languages lists the languages the package speaks, English first.
func Languages() []string { return []string{"en", "de", "el", "es", "fr", "hr", "pl"} }

// Default returns the default wording in lang, with its placeholders.
func (c *Composer) Default(lang string) string { return c.langs[c.Lang(lang)].approved }

// target words d as "within 4 hours": in business days when d is a whole
// number of the site's usual day (day, 0 if none), in hours when it is a
// whole number of hours or long, else in minutes.
func (l *language) target(d, day time.Duration) string {
	var n, unit int
	switch {
	case day > 0 && d >= day && d%day == 0:
		n, unit = int(d/day), unitDay
	case d%time.Hour == 0 || d >= 3*time.Hour:
		n, unit = int((d+time.Hour-1)/time.Hour), unitHour
	default:
		n, unit = int((d+time.Minute-1)/time.Minute), unitMinute
	}
	return fill(l.within, map[string]string{"n": strconv.Itoa(n), "unit": l.units[unit][l.plural(n)]})
}

// usualDay is the business time of most of the week's open days (the
// longer on a tie), or 0 for a week without any.
func usualDay(w sla.Week) time.Duration {
	count := map[time.Duration]int{}
	var best time.Duration
	for _, spans := range w {
		var d time.Duration
		for _, s := range spans {
			d += time.Duration(s.End-s.Start) * time.Minute
		}
		if d == 0 {
			continue
		}
		count[d]++
		if count[d] > count[best] || (count[d] == count[best] && d > best) {
			best = d
		}
	}
	return best
}

// expected words when due falls, seen from now: "by 15:00 today", "by
// Monday 10:00", "by Wednesday 2 December, 10:00". It uses the reader's
// zone, or else the site's (siteLoc) and names it.
func (l *language) expected(now, due time.Time, siteLoc *time.Location, zone string) string {
	loc, named := readerZone(zone), false
	if loc == nil {
		loc, named = siteLoc, true
	}
	now, due = now.In(loc), due.In(loc)
	at := l.clock(due.Hour(), due.Minute())
	if named {
		at += " " + zoneName(due)
	}
	days := civilDays(due) - civilDays(now)
	form := l.later
	switch {
	case days <= 0:
		form = l.today
	case days == 1:
		form = l.tomorrow
	case days <= 6:
		form = l.weekday
	}
	year := ""
	if due.Year() != now.Year() {
		year = strconv.Itoa(due.Year())
	}
	return fill(form, map[string]string{"time": at, "day": l.weekdays[due.Weekday()],
		"date": l.date(l, due.Day(), int(due.Month()), year)})
}

// readerZone loads an IANA zone name a browser sent, or returns nil. It
// refuses "Local" (the server's zone, not the reader's) and anything that
// does not look like a zone name before touching the zone database. Zones
// loaded are kept (there are some 600), so a new comment does not read the
// zone database each time.
func readerZone(name string) *time.Location {
	if name == "" || name == "Local" || len(name) > 64 {
		return nil
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+-", r)) {
			return nil
		}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	zones.Store(name, loc)
	return loc
}

// zones holds the zones readerZone loaded, by name.
var zones sync.Map

// zoneName is t's zone abbreviation ("CET"), or its offset from UTC
// ("UTC+03") where the zone has no abbreviation.
func zoneName(t time.Time) string {
	name, off := t.Zone()
	if name != "" && name[0] != '+' && name[0] != '-' {
		return name
	}
	if off == 0 {
		return "UTC"
	}
	return "UTC" + t.Format("-07:00")
}

// civilDays is t's local date as days from 0001-01-01, for day differences
// that ignore clock changes.
func civilDays(t time.Time) int {
	return int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / (24 * 60 * 60))
}
