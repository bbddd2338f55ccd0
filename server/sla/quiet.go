package sla

import (
	"fmt"
	"strings"
	"time"
)

// Quiet is a staff member's quiet hours, such as 22:00-07:00, on the wall
// clock of their time zone; they wrap midnight when End < Start. The zero
// value means no quiet hours. A nil Loc means UTC.
type Quiet struct {
	Start, End Clock
	Loc        *time.Location
}

// ParseQuiet reads quiet hours like "22:00-07:00" in loc (nil means UTC).
// An empty string gives the zero Quiet.
func ParseQuiet(s string, loc *time.Location) (Quiet, error) {
	s = strings.TrimSpace(dashSpaces.ReplaceAllString(s, "-"))
	if s == "" {
		return Quiet{}, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Quiet{}, fmt.Errorf("%q is not a range of hours; write it like 22:00-07:00", s)
	}
	start, err := ParseClock(a)
	if err != nil {
		return Quiet{}, err
	}
	end, err := ParseClock(b)
	if err != nil {
		return Quiet{}, err
	}
	if start%minutesPerDay == end%minutesPerDay {
		return Quiet{}, fmt.Errorf("%s-%s is not quiet hours: they must start and end at different times of day", start, end)
	}
	return Quiet{Start: start, End: end, Loc: loc}, nil
}

// String writes q like "22:00-07:00", or "" for no quiet hours. The time
// zone is not included.
func (q Quiet) String() string {
	if q.none() {
		return ""
	}
	return q.Start.String() + "-" + q.End.String()
}

// none reports whether q has no quiet hours: they would start and end at
// the same time.
func (q Quiet) none() bool { return q.Start%minutesPerDay == q.End%minutesPerDay }

// Until reports whether t falls in quiet hours, judged by the wall clock in
// q.Loc, and if so when they end: the next time that clock shows End. If the
// clocks skip End that day, quiet hours end when End would have come (an end
// of 02:30 on a night the clocks jump from 02:00 to 03:00 becomes 03:30);
// if they show End twice, the first one after t.
func (q Quiet) Until(t time.Time) (end time.Time, quiet bool) {
	if q.none() {
		return time.Time{}, false
	}
	loc := q.Loc
	if loc == nil {
		loc = time.UTC
	}
	start, stop := q.Start%minutesPerDay, q.End
	if stop == 0 {
		stop = minutesPerDay
	}
	lt := t.In(loc)
	now := Clock(lt.Hour()*60 + lt.Minute())
	var days int // to the day quiet hours end
	switch {
	case start < stop && now >= start && now < stop, start > stop && now < stop:
	case start > stop && now >= start:
		days = 1
	default:
		return time.Time{}, false
	}
	end = wall(loc, localDay(t, loc)+days, int(stop))
	if !end.After(t) {
		// The clocks went back and t is the second time round: count on
		// from t's minute instead.
		minute := lt.Add(-time.Duration(lt.Second())*time.Second - time.Duration(lt.Nanosecond()))
		end = minute.Add(time.Duration(days*minutesPerDay+int(stop-now)) * time.Minute)
	}
	return end, true
}
