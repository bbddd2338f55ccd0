package sla

import (
	"sort"
	"time"
)

const week = 7 * 24 * time.Hour

// Add returns the moment when d of business time has passed since t.
// Business time before t's next opening does not count, so Add(t, 0) is
// NextOpening(t); a negative d counts as 0. When d runs out exactly at the
// end of a span, Add returns that end (17:00, not the next morning). The
// result is in the calendar's location. See Calendar for the rare case of a
// search giving up.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	d = max(d, 0)
	var buf [4]interval
	cur := t
	first := c.dayOf(t)
	for dn, lastOpen := first, first; dn-lastOpen <= maxClosedDays && dn-first <= maxWalkDays; dn++ {
		if d > c.weekly {
			if lo := wall(c.loc, dn, 0); !cur.After(lo) {
				n := min(c.plainWeeks(dn, lo), int((d-1)/c.weekly), (maxWalkDays-(dn-first))/7)
				if n > 0 {
					d -= time.Duration(n) * c.weekly
					dn += 7 * n
					lastOpen, cur = dn, wall(c.loc, dn, 0)
				}
			}
		}
		for _, iv := range c.intervals(dn, buf[:0]) {
			start := later(cur, iv.start)
			if !start.Before(iv.end) {
				continue
			}
			lastOpen = dn
			left := iv.end.Sub(start)
			if d <= left {
				return start.Add(d).In(c.loc)
			}
			d -= left
			cur = iv.end
		}
	}
	return cur.Add(d).In(c.loc)
}

// Between returns the business time within [a, b), or 0 if b is not after a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !a.Before(b) {
		return 0
	}
	a, b = a.Round(0), b.Round(0) // compare wall clocks only
	b = a.Add(b.Sub(a))           // at most ~292 years on: what a Duration holds
	var total time.Duration
	var buf [4]interval
	dn := c.dayOf(a)
	for lo := wall(c.loc, dn, 0); ; {
		if !a.After(lo) && b.Sub(lo) >= week {
			if n := min(c.plainWeeks(dn, lo), int(b.Sub(lo)/week)); n > 0 {
				total += time.Duration(n) * c.weekly
				dn += 7 * n
			}
		}
		for _, iv := range c.intervals(dn, buf[:0]) {
			if start, end := later(a, iv.start), earlier(b, iv.end); start.Before(end) {
				total += end.Sub(start)
			}
		}
		dn++
		if lo = wall(c.loc, dn, 0); !lo.Before(b) {
			return total
		}
	}
}

// plainWeeks counts the whole weeks from day dn, which starts at lo, that
// hold no holiday and no change of the clocks: each of them has exactly
// c.weekly of business time, so Add and Between can step over them at once
// instead of day by day.
func (c *Calendar) plainWeeks(dn int, lo time.Time) int {
	n := int(maxWalkDays / 7)
	if i := sort.Search(len(c.holidays), func(i int) bool { return c.holidays[i].to >= dn }); i < len(c.holidays) {
		n = min(n, (c.holidays[i].from-dn)/7)
	}
	if _, end := lo.ZoneBounds(); !end.IsZero() {
		n = min(n, int(end.Sub(lo)/week))
	}
	return max(n, 0)
}
