package sla

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// Searches for business time give up after maxClosedDays days in a row
// without any (holidays can close years); Add also gives up after walking
// maxWalkDays. See Calendar.
const (
	maxClosedDays = 3 * 366
	maxWalkDays   = 400 * 366
)

const secondsPerDay = 24 * 60 * 60

// ErrNoHours means a week has no business time at all.
var ErrNoHours = errors.New("there are no business hours in the week")

// Calendar is a site's business time: a location, the business hours of
// each weekday as wall-clock times there, and holidays, which close whole
// local days. It is immutable and safe for concurrent use.
//
// Searches are bounded. Holidays can close a long stretch: when about three
// years of closed days in a row follow, a search gives up and falls back to
// wall-clock time. NextOpening then returns its input; Add counts the rest
// of the duration as wall-clock time from where the business time ran out
// (or from its input); NextDayStart returns the next midnight. Add gives up
// the same way after walking about 400 years. Between walks at most the
// ~292 years a Duration holds, counting closed days as zero. Long stretches
// without holidays or clock changes are stepped over a week at a time, so
// a deadline weeks away costs microseconds.
type Calendar struct {
	loc      *time.Location
	week     Week
	holidays []dayRange    // sorted, disjoint and not touching
	weekly   time.Duration // business time in a week without holidays or clock changes
}

// dayRange is a range of days counted from 1970-01-01, both ends included.
type dayRange struct{ from, to int }

// interval is business time from start up to (not including) end.
type interval struct{ start, end time.Time }

// New returns the calendar of loc (nil means UTC), week and holidays. It
// fails if a span or a holiday is invalid, or with ErrNoHours if the week
// has no business time at all.
func New(loc *time.Location, week Week, holidays []Holiday) (*Calendar, error) {
	if loc == nil {
		loc = time.UTC
	}
	if err := week.check(); err != nil {
		return nil, err
	}
	week = week.normalize()
	if slices.IndexFunc(week[:], func(s []Span) bool { return len(s) > 0 }) < 0 {
		return nil, ErrNoHours
	}
	ranges := make([]dayRange, 0, len(holidays))
	for _, h := range holidays {
		to := h.To
		if to.IsZero() {
			to = h.From
		}
		if !h.From.valid() || !to.valid() {
			return nil, fmt.Errorf("holiday %s..%s is not a valid date", h.From, to)
		}
		if to.days() < h.From.days() {
			return nil, fmt.Errorf("holiday %s..%s ends before it starts", h.From, to)
		}
		ranges = append(ranges, dayRange{h.From.days(), to.days()})
	}
	var weekly time.Duration
	for _, spans := range week {
		for _, s := range spans {
			weekly += time.Duration(s.End-s.Start) * time.Minute
		}
	}
	return &Calendar{loc: loc, week: week, holidays: mergeRanges(ranges), weekly: weekly}, nil
}

// mergeRanges sorts ranges and merges those that overlap or touch.
func mergeRanges(ranges []dayRange) []dayRange {
	slices.SortFunc(ranges, func(a, b dayRange) int { return a.from - b.from })
	var out []dayRange
	for _, r := range ranges {
		if n := len(out); n > 0 && r.from <= out[n-1].to+1 {
			out[n-1].to = max(out[n-1].to, r.to)
			continue
		}
		out = append(out, r)
	}
	return out
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Week returns the calendar's business hours (a copy).
func (c *Calendar) Week() Week {
	var w Week
	for d, spans := range c.week {
		w[d] = slices.Clone(spans)
	}
	return w
}

// Open reports whether t is inside business hours on a day that is not a
// holiday.
func (c *Calendar) Open(t time.Time) bool {
	var buf [4]interval
	for _, iv := range c.intervals(c.dayOf(t), buf[:0]) {
		if !t.Before(iv.start) && t.Before(iv.end) {
			return true
		}
	}
	return false
}

// NextOpening returns t itself if the calendar is open at t, or else the
// start of the next business span. The result is in the calendar's
// location.
func (c *Calendar) NextOpening(t time.Time) time.Time {
	var buf [4]interval
	first := c.dayOf(t)
	for dn := first; dn-first <= maxClosedDays; dn++ {
		for _, iv := range c.intervals(dn, buf[:0]) {
			if t.Before(iv.end) {
				return later(t, iv.start).In(c.loc)
			}
		}
	}
	return t.In(c.loc)
}

// NextDayStart returns the first business moment of the first business day
// after t's day (in the calendar's location): when a daily digest goes out.
func (c *Calendar) NextDayStart(t time.Time) time.Time {
	var buf [4]interval
	today := c.dayOf(t)
	for dn := today + 1; dn-today <= maxClosedDays; dn++ {
		if ivs := c.intervals(dn, buf[:0]); len(ivs) > 0 {
			return ivs[0].start
		}
	}
	return wall(c.loc, today+1, 0)
}

// dayOf returns the day, counted from 1970-01-01, whose business time t
// would fall in: its local date, unless a skipped midnight moved the start of
// a day.
func (c *Calendar) dayOf(t time.Time) int {
	dn := localDay(t, c.loc)
	switch {
	case t.Before(wall(c.loc, dn, 0)):
		return dn - 1
	case !t.Before(wall(c.loc, dn+1, 0)):
		return dn + 1
	}
	return dn
}

// intervals appends the business time of day dn to buf, in order, and
// returns it. A day runs from its midnight to the next, so the intervals of
// successive days never overlap, whatever the clocks do.
func (c *Calendar) intervals(dn int, buf []interval) []interval {
	spans := c.week[weekday(dn)]
	if len(spans) == 0 || c.holiday(dn) {
		return buf
	}
	lo, hi := wall(c.loc, dn, 0), wall(c.loc, dn+1, 0)
	for _, s := range spans {
		start, end := lo, hi
		if s.Start > 0 {
			start = later(lo, wall(c.loc, dn, int(s.Start)))
		}
		if s.End < minutesPerDay {
			end = earlier(hi, wall(c.loc, dn, int(s.End)))
		}
		if n := len(buf); n > 0 {
			start = later(start, buf[n-1].end)
		}
		if start.Before(end) {
			buf = append(buf, interval{start, end})
		}
	}
	return buf
}

// holiday reports whether day dn is a holiday.
func (c *Calendar) holiday(dn int) bool {
	i := sort.Search(len(c.holidays), func(i int) bool { return c.holidays[i].to >= dn })
	return i < len(c.holidays) && c.holidays[i].from <= dn
}

// weekday returns the weekday of day dn counted from 1970-01-01, a Thursday.
func weekday(dn int) time.Weekday {
	return time.Weekday(((dn+int(time.Thursday))%7 + 7) % 7)
}

// localDay returns t's local date in loc as days from 1970-01-01.
func localDay(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	s := t.Unix() + int64(off)
	dn := s / secondsPerDay
	if s%secondsPerDay < 0 {
		dn--
	}
	return int(dn)
}

// wall returns the instant at which the clock in loc shows minute m of day
// dn (days from 1970-01-01; m may be 1440, the next midnight). It is
// time.Date, made deterministic and order-preserving at clock changes: a
// time the clocks skip moves forward by the gap, and a time the clocks show
// twice takes the first of its two instants.
func wall(loc *time.Location, dn, m int) time.Time {
	t := time.Date(1970, time.January, 1+dn, 0, m, 0, 0, loc)
	want := int64(dn)*secondsPerDay + int64(m)*60
	_, off := t.Zone()
	switch got := t.Unix() + int64(off); {
	case got < want: // skipped, and time.Date went back before the gap
		return time.Unix(want-int64(off), 0).In(loc)
	case got > want: // skipped, and time.Date went forward by the gap
		return t
	}
	start, _ := t.ZoneBounds()
	if start.IsZero() || t.Sub(start) > 24*time.Hour {
		return t
	}
	// The clocks changed within the day before t: if they went back, the
	// same clock time also came up before the change.
	_, prev := start.Add(-time.Second).Zone()
	if u := want - int64(prev); u < start.Unix() {
		return time.Unix(u, 0).In(loc)
	}
	return t
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
