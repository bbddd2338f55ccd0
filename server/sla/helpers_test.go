package sla

import (
	"testing"
	"time"
)

// layout is how tests write instants: exact, with their UTC offset, so that
// an expectation never goes through the code under test.
const layout = "2006-01-02 15:04 -07:00"

// ts reads "2026-03-27 18:00 +02:00", optionally with seconds.
func ts(tb testing.TB, s string) time.Time {
	tb.Helper()
	for _, l := range []string{layout, "2006-01-02 15:04:05 -07:00"} {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	tb.Fatalf("bad test time %q", s)
	return time.Time{}
}

func loadLocation(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// newCalendar builds a calendar from text, as a site's settings would.
func newCalendar(tb testing.TB, zone, hours, holidays string) *Calendar {
	tb.Helper()
	week, err := ParseHours(hours)
	if err != nil {
		tb.Fatalf("ParseHours(%q): %v", hours, err)
	}
	hs, err := ParseHolidays(holidays)
	if err != nil {
		tb.Fatalf("ParseHolidays(%q): %v", holidays, err)
	}
	c, err := New(loadLocation(tb, zone), week, hs)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return c
}

// calendars are the fixtures of the calendar tests, by name.
func calendars(tb testing.TB) map[string]*Calendar {
	tb.Helper()
	return map[string]*Calendar{
		"utc":      newCalendar(tb, "UTC", DefaultHours, ""),
		"xmas":     newCalendar(tb, "UTC", DefaultHours, "2026-12-25 Christmas"),
		"break":    newCalendar(tb, "UTC", DefaultHours, "2026-12-24..2026-12-28 Winter break"),
		"holidays": newCalendar(tb, "UTC", DefaultHours, "2026-12-25 Christmas\n2026-12-28 Boxing day (observed)\n2027-01-01 New Year"),
		"long":     newCalendar(tb, "UTC", DefaultHours, "2026-06-01..2028-05-31 Renovation"),
		"gone":     newCalendar(tb, "UTC", DefaultHours, "2026-01-01..2030-12-31 Closed"),
		"lunch":    newCalendar(tb, "UTC", "mon-thu 09:00-12:00, 13:00-17:00\nfri 09:00-12:00", ""),
		"always":   newCalendar(tb, "UTC", "24/7", ""),
		"wrap":     newCalendar(tb, "UTC", "fri-mon 10:00-12:00", ""),
		"athens":   newCalendar(tb, "Europe/Athens", DefaultHours, ""),
		"athens24": newCalendar(tb, "Europe/Athens", "24/7", ""),
		"athensSu": newCalendar(tb, "Europe/Athens", "sun 00:00-24:00", ""),
		"athensSd": newCalendar(tb, "Europe/Athens", "sun 09:00-17:00", ""),
		"athensSn": newCalendar(tb, "Europe/Athens", "sun 03:00-05:00", ""),
		"warsaw":   newCalendar(tb, "Europe/Warsaw", "mon-fri 08:00-16:00", ""),
		"ny":       newCalendar(tb, "America/New_York", DefaultHours, ""),
		"ny24":     newCalendar(tb, "America/New_York", "24/7", ""),
		"nyGap":    newCalendar(tb, "America/New_York", "sun 01:00-04:00", ""),
		"nyGapS":   newCalendar(tb, "America/New_York", "sun 02:30-04:00", ""),
		"nyGapE":   newCalendar(tb, "America/New_York", "sun 01:00-02:30", ""),
		"kolkata":  newCalendar(tb, "Asia/Kolkata", "mon-fri 10:00-18:00", ""),
	}
}

// same fails unless got is the instant want and is in the calendar's
// location.
func same(tb testing.TB, c *Calendar, got time.Time, want string) {
	tb.Helper()
	if w := ts(tb, want); !got.Equal(w) {
		tb.Errorf("got %s, want %s", got.Format(layout), w.Format(layout))
	}
	if got.Location() != c.Location() {
		tb.Errorf("got location %s, want %s", got.Location(), c.Location())
	}
}
