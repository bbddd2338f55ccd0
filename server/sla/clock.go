package sla

import (
	"fmt"
	"strconv"
	"strings"
)

// Clock is a time of day in minutes since midnight, 0..1440 (1440 = 24:00 as
// an end).
type Clock int

// minutesPerDay is 24:00, the largest Clock.
const minutesPerDay = 24 * 60

// ParseClock reads a time of day such as "09:00", "9:30" or "24:00" (which
// only makes sense as the end of a span).
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return 0, fmt.Errorf("%q is not a time of day; write it as HH:MM, like 09:00", s)
	}
	hour, _ := strconv.Atoi(h)
	minute, _ := strconv.Atoi(m)
	c := Clock(hour*60 + minute)
	if minute > 59 || c > minutesPerDay {
		return 0, fmt.Errorf("%q is not a time of day between 00:00 and 24:00", s)
	}
	return c, nil
}

// String writes c as HH:MM, like "09:00" or "24:00".
func (c Clock) String() string {
	return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60)
}

// digits reports whether s is made of ASCII digits only.
func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Span is a stretch of business time within one day, from Start up to (not
// including) End. Start < End.
type Span struct{ Start, End Clock }

// String writes s like "09:00-17:00".
func (s Span) String() string { return s.Start.String() + "-" + s.End.String() }

// parseSpan reads "09:00-17:00".
func parseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, fmt.Errorf("%q is not a range of hours; write it like 09:00-17:00", s)
	}
	start, err := ParseClock(a)
	if err != nil {
		return Span{}, err
	}
	end, err := ParseClock(b)
	if err != nil {
		return Span{}, err
	}
	sp := Span{start, end}
	if err := sp.check(); err != nil {
		return Span{}, err
	}
	return sp, nil
}

// check reports what is wrong with s, if anything.
func (s Span) check() error {
	switch {
	case s.Start < 0 || s.End > minutesPerDay:
		return fmt.Errorf("a span of minutes %d-%d is outside 00:00-24:00", s.Start, s.End)
	case s.Start == s.End:
		return fmt.Errorf("%s is empty", s)
	case s.Start > s.End:
		return fmt.Errorf("%s ends before it starts; split a span past midnight in two: %s-24:00, then 00:00-%s the next day", s, s.Start, s.End)
	}
	return nil
}
