package sla

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestAdd(t *testing.T) {
	cals := calendars(t)
	tests := []struct {
		name, cal, start string
		d                time.Duration
		want             string
	}{
		{"inside hours", "utc", "2026-03-02 10:00 +00:00", 4 * time.Hour, "2026-03-02 14:00 +00:00"},
		{"into the next day", "utc", "2026-03-02 15:00 +00:00", 4 * time.Hour, "2026-03-03 11:00 +00:00"},
		{"before hours", "utc", "2026-03-02 07:00 +00:00", 4 * time.Hour, "2026-03-02 13:00 +00:00"},
		{"after hours", "utc", "2026-03-02 18:00 +00:00", 4 * time.Hour, "2026-03-03 13:00 +00:00"},
		{"ends at closing", "utc", "2026-03-02 13:00 +00:00", 4 * time.Hour, "2026-03-02 17:00 +00:00"},
		{"zero at closing", "utc", "2026-03-02 17:00 +00:00", 0, "2026-03-03 09:00 +00:00"},
		{"zero inside", "utc", "2026-03-02 10:30 +00:00", 0, "2026-03-02 10:30 +00:00"},
		{"negative counts as zero", "utc", "2026-03-02 18:00 +00:00", -time.Hour, "2026-03-03 09:00 +00:00"},
		{"seconds", "utc", "2026-03-02 16:59:30 +00:00", time.Minute, "2026-03-03 09:00:30 +00:00"},
		{"friday evening", "utc", "2026-03-06 18:00 +00:00", 4 * time.Hour, "2026-03-09 13:00 +00:00"},
		{"friday afternoon", "utc", "2026-03-06 15:00 +00:00", 4 * time.Hour, "2026-03-09 11:00 +00:00"},
		{"saturday", "utc", "2026-03-07 12:00 +00:00", time.Hour, "2026-03-09 10:00 +00:00"},
		{"longer than a day", "utc", "2026-03-02 10:00 +00:00", 20 * time.Hour, "2026-03-04 14:00 +00:00"},
		{"a working week", "utc", "2026-03-04 09:00 +00:00", 40 * time.Hour, "2026-03-10 17:00 +00:00"},
		{"a year of weeks", "utc", "2026-03-02 09:00 +00:00", 52 * 40 * time.Hour, "2027-02-26 17:00 +00:00"},
		{"a year of weeks with holidays", "holidays", "2026-03-02 09:00 +00:00", 52 * 40 * time.Hour, "2027-03-03 17:00 +00:00"},
		{"a year of weeks in athens", "athens", "2026-03-02 09:00 +02:00", 52 * 40 * time.Hour, "2027-02-26 17:00 +02:00"},
		{"a year of weeks in new york", "ny", "2026-03-02 09:00 -05:00", 52 * 40 * time.Hour, "2027-02-26 17:00 -05:00"},
		{"a year of sundays, one of them 2.5h", "nyGapE", "2026-01-04 00:00 -05:00", 52*90*time.Minute - 30*time.Minute, "2026-12-20 02:30 -05:00"},
		{"in another zone's terms", "utc", "2026-03-06 15:00 +03:00", 4 * time.Hour, "2026-03-06 16:00 +00:00"},
		{"holiday", "xmas", "2026-12-24 16:00 +00:00", 4 * time.Hour, "2026-12-28 12:00 +00:00"},
		{"holiday range", "break", "2026-12-23 16:00 +00:00", 4 * time.Hour, "2026-12-29 12:00 +00:00"},
		{"posted on a holiday", "break", "2026-12-25 10:00 +00:00", 2 * time.Hour, "2026-12-29 11:00 +00:00"},
		{"several holidays", "holidays", "2026-12-24 16:00 +00:00", 12 * time.Hour, "2026-12-30 12:00 +00:00"},
		{"two years closed", "long", "2026-06-01 10:00 +00:00", time.Hour, "2028-06-01 10:00 +00:00"},
		{"closed for good counts wall time", "gone", "2026-06-01 10:00 +00:00", 4 * time.Hour, "2026-06-01 14:00 +00:00"},
		{"closed for good after an hour", "gone", "2025-12-31 16:00 +00:00", 4 * time.Hour, "2025-12-31 20:00 +00:00"},
		{"across lunch", "lunch", "2026-03-02 11:00 +00:00", 2 * time.Hour, "2026-03-02 14:00 +00:00"},
		{"posted at lunch", "lunch", "2026-03-02 12:30 +00:00", time.Hour, "2026-03-02 14:00 +00:00"},
		{"ends at lunch", "lunch", "2026-03-02 16:00 +00:00", 4 * time.Hour, "2026-03-03 12:00 +00:00"},
		{"short friday", "lunch", "2026-03-06 11:00 +00:00", 2 * time.Hour, "2026-03-09 10:00 +00:00"},
		{"24/7", "always", "2026-03-07 03:00 +00:00", 50 * time.Hour, "2026-03-09 05:00 +00:00"},
		{"wrapping days skip the week", "wrap", "2026-03-03 10:00 +00:00", time.Hour, "2026-03-06 11:00 +00:00"},
		{"wrapping days over the weekend", "wrap", "2026-03-07 11:30 +00:00", time.Hour, "2026-03-08 10:30 +00:00"},
		{"athens friday evening", "athens", "2026-03-27 18:00 +02:00", 4 * time.Hour, "2026-03-30 13:00 +03:00"},
		{"athens given in utc", "athens", "2026-03-27 16:30 +00:00", 4 * time.Hour, "2026-03-30 13:00 +03:00"},
		{"athens autumn", "athens", "2026-10-23 16:00 +03:00", 2 * time.Hour, "2026-10-26 10:00 +02:00"},
		{"athens 24/7 spring", "athens24", "2026-03-28 12:00 +02:00", 24 * time.Hour, "2026-03-29 13:00 +03:00"},
		{"athens 24/7 autumn", "athens24", "2026-10-24 12:00 +03:00", 24 * time.Hour, "2026-10-25 11:00 +02:00"},
		{"23-hour sunday", "athensSu", "2026-03-28 12:00 +02:00", 23 * time.Hour, "2026-03-30 00:00 +03:00"},
		{"23-hour sunday overflows", "athensSu", "2026-03-28 12:00 +02:00", 23*time.Hour + time.Minute, "2026-04-05 00:01 +03:00"},
		{"25-hour sunday", "athensSu", "2026-10-24 12:00 +03:00", 25 * time.Hour, "2026-10-26 00:00 +02:00"},
		{"office hours on the spring sunday", "athensSd", "2026-03-28 12:00 +02:00", 8 * time.Hour, "2026-03-29 17:00 +03:00"},
		{"span in the repeated hour", "athensSn", "2026-10-24 12:00 +03:00", 3 * time.Hour, "2026-10-25 05:00 +02:00"},
		{"first hour of the repeated hour", "athensSn", "2026-10-24 12:00 +03:00", time.Hour, "2026-10-25 03:00 +02:00"},
		{"warsaw spring", "warsaw", "2026-03-27 15:00 +01:00", 2 * time.Hour, "2026-03-30 09:00 +02:00"},
		{"warsaw autumn", "warsaw", "2026-10-23 15:00 +02:00", 2 * time.Hour, "2026-10-26 09:00 +01:00"},
		{"new york spring", "ny", "2026-03-06 16:00 -05:00", 4 * time.Hour, "2026-03-09 12:00 -04:00"},
		{"new york autumn", "ny", "2026-10-30 16:00 -04:00", 4 * time.Hour, "2026-11-02 12:00 -05:00"},
		{"new york 24/7 spring", "ny24", "2026-03-08 00:00 -05:00", 3 * time.Hour, "2026-03-08 04:00 -04:00"},
		{"new york 24/7 autumn", "ny24", "2026-11-01 00:00 -04:00", 3 * time.Hour, "2026-11-01 02:00 -05:00"},
		{"span across the gap", "nyGap", "2026-03-07 12:00 -05:00", 2 * time.Hour, "2026-03-08 04:00 -04:00"},
		{"span across the gap overflows", "nyGap", "2026-03-07 12:00 -05:00", 2*time.Hour + time.Minute, "2026-03-15 01:01 -04:00"},
		{"span starting in the gap", "nyGapS", "2026-03-07 12:00 -05:00", 0, "2026-03-08 03:30 -04:00"},
		{"span starting in the gap lasts half an hour", "nyGapS", "2026-03-07 12:00 -05:00", 30 * time.Minute, "2026-03-08 04:00 -04:00"},
		{"span ending in the gap", "nyGapE", "2026-03-07 12:00 -05:00", time.Hour, "2026-03-08 03:00 -04:00"},
		{"span ending in the gap lasts 90 minutes", "nyGapE", "2026-03-07 12:00 -05:00", 91 * time.Minute, "2026-03-15 01:01 -04:00"},
		{"kolkata", "kolkata", "2026-03-06 17:30 +05:30", time.Hour, "2026-03-09 10:30 +05:30"},
		{"kolkata given in utc", "kolkata", "2026-03-06 03:00 +00:00", time.Hour, "2026-03-06 11:00 +05:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cals[tt.cal]
			same(t, c, c.Add(ts(t, tt.start), tt.d), tt.want)
		})
	}
}

func TestBetween(t *testing.T) {
	cals := calendars(t)
	tests := []struct {
		name, cal, from, to string
		want                time.Duration
	}{
		{"inside hours", "utc", "2026-03-02 10:00 +00:00", "2026-03-02 12:00 +00:00", 2 * time.Hour},
		{"backwards", "utc", "2026-03-02 12:00 +00:00", "2026-03-02 10:00 +00:00", 0},
		{"empty", "utc", "2026-03-02 12:00 +00:00", "2026-03-02 12:00 +00:00", 0},
		{"over the weekend", "utc", "2026-03-06 16:00 +00:00", "2026-03-09 10:00 +00:00", 2 * time.Hour},
		{"only closed time", "utc", "2026-03-06 18:00 +00:00", "2026-03-09 08:00 +00:00", 0},
		{"a week", "utc", "2026-03-02 00:00 +00:00", "2026-03-09 00:00 +00:00", 40 * time.Hour},
		{"a year", "utc", "2026-01-01 00:00 +00:00", "2027-01-01 00:00 +00:00", 261 * 8 * time.Hour},
		{"a year in athens", "athens", "2026-01-01 00:00 +02:00", "2027-01-01 00:00 +02:00", 261 * 8 * time.Hour},
		{"a year of 24/7 in athens", "athens24", "2026-01-01 00:00 +02:00", "2027-01-01 00:00 +02:00", 365 * 24 * time.Hour},
		{"half a year of 24/7 in new york", "ny24", "2026-01-01 00:00 -05:00", "2026-07-01 00:00 -04:00", 181*24*time.Hour - time.Hour},
		{"a year with holidays", "holidays", "2026-06-01 00:00 +00:00", "2027-06-01 00:00 +00:00", (261 - 3) * 8 * time.Hour},
		{"ends at opening", "utc", "2026-03-02 17:00 +00:00", "2026-03-03 09:00 +00:00", 0},
		{"mixed zones", "utc", "2026-03-02 12:00 +03:00", "2026-03-02 12:00 +00:00", 3 * time.Hour},
		{"holiday", "xmas", "2026-12-24 16:00 +00:00", "2026-12-28 10:00 +00:00", 2 * time.Hour},
		{"holiday range", "break", "2026-12-23 16:00 +00:00", "2026-12-29 12:00 +00:00", 4 * time.Hour},
		{"two years closed", "long", "2026-05-29 16:00 +00:00", "2028-06-01 10:00 +00:00", 2 * time.Hour},
		{"lunch", "lunch", "2026-03-02 11:00 +00:00", "2026-03-02 14:00 +00:00", 2 * time.Hour},
		{"lunch week", "lunch", "2026-03-02 00:00 +00:00", "2026-03-09 00:00 +00:00", 31 * time.Hour},
		{"24/7", "always", "2026-03-06 12:00 +00:00", "2026-03-09 12:00 +00:00", 72 * time.Hour},
		{"athens across the change", "athens", "2026-03-27 16:00 +02:00", "2026-03-30 10:00 +03:00", 2 * time.Hour},
		{"athens 23-hour day", "athens24", "2026-03-29 00:00 +02:00", "2026-03-30 00:00 +03:00", 23 * time.Hour},
		{"athens 25-hour day", "athens24", "2026-10-25 00:00 +03:00", "2026-10-26 00:00 +02:00", 25 * time.Hour},
		{"athens sunday 00:00-24:00 in spring", "athensSu", "2026-03-28 00:00 +02:00", "2026-03-31 00:00 +03:00", 23 * time.Hour},
		{"athens sunday 00:00-24:00 in autumn", "athensSu", "2026-10-24 00:00 +03:00", "2026-10-27 00:00 +02:00", 25 * time.Hour},
		{"athens repeated hour", "athensSn", "2026-10-25 00:00 +03:00", "2026-10-26 00:00 +02:00", 3 * time.Hour},
		{"new york 23-hour day", "ny24", "2026-03-08 00:00 -05:00", "2026-03-09 00:00 -04:00", 23 * time.Hour},
		{"new york 25-hour day", "ny24", "2026-11-01 00:00 -04:00", "2026-11-02 00:00 -05:00", 25 * time.Hour},
		{"new york span across the gap", "nyGap", "2026-03-08 00:00 -05:00", "2026-03-09 00:00 -04:00", 2 * time.Hour},
		{"new york span starting in the gap", "nyGapS", "2026-03-08 00:00 -05:00", "2026-03-09 00:00 -04:00", 30 * time.Minute},
		{"new york span ending in the gap", "nyGapE", "2026-03-08 00:00 -05:00", "2026-03-09 00:00 -04:00", 90 * time.Minute},
		{"new york span in an ordinary week", "nyGapE", "2026-03-15 00:00 -04:00", "2026-03-16 00:00 -04:00", 90 * time.Minute},
		{"warsaw week of the change", "warsaw", "2026-03-23 00:00 +01:00", "2026-03-30 00:00 +02:00", 40 * time.Hour},
		{"kolkata", "kolkata", "2026-03-02 09:00 +05:30", "2026-03-03 11:00 +05:30", 9 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cals[tt.cal].Between(ts(t, tt.from), ts(t, tt.to)); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestAddBetween checks that Between undoes Add, at random instants and
// durations, on calendars with weekends, holidays, lunch breaks, time zones
// and clock changes.
func TestAddBetween(t *testing.T) {
	cals := calendars(t)
	from := ts(t, "2025-06-01 00:00 +00:00")
	for _, name := range []string{"utc", "break", "holidays", "lunch", "always", "wrap", "athens", "athensSu", "athensSn", "warsaw", "ny24", "nyGap", "nyGapS", "nyGapE", "kolkata"} {
		t.Run(name, func(t *testing.T) {
			c := cals[name]
			r := rand.New(rand.NewPCG(1, 2))
			for range 300 {
				a := from.Add(time.Duration(r.Int64N(int64(2 * 366 * 24 * time.Hour))))
				d := time.Duration(r.Int64N(int64(200 * time.Hour)))
				if r.IntN(4) == 0 {
					d = d.Truncate(time.Hour) // whole hours end on span edges
				}
				due := c.Add(a, d)
				if got := c.Between(a, due); got != d {
					t.Fatalf("Between(%s, Add(%[1]s, %s) = %s) = %s", a.Format(time.RFC3339Nano), d, due.Format(time.RFC3339Nano), got)
				}
				if due.Before(a) {
					t.Fatalf("Add(%s, %s) = %s, before the start", a.Format(time.RFC3339Nano), d, due.Format(time.RFC3339Nano))
				}
				if open, first := c.NextOpening(a), c.Add(a, 0); !open.Equal(first) {
					t.Fatalf("NextOpening(%s) = %s but Add(_, 0) = %s", a.Format(time.RFC3339Nano), open, first)
				}
				mid := a.Add(time.Duration(r.Int64N(int64(due.Sub(a)) + 1)))
				if sum := c.Between(a, mid) + c.Between(mid, due); sum != d {
					t.Fatalf("Between splits %s into parts that add up to %s at %s", d, sum, mid.Format(time.RFC3339Nano))
				}
			}
		})
	}
}

// TestLongDurations checks Add and Between over months and years, where
// they step over whole weeks, against Between summed in 6-day pieces, which
// walks every day.
func TestLongDurations(t *testing.T) {
	cals := calendars(t)
	from := ts(t, "2025-06-01 00:00 +00:00")
	for _, name := range []string{"utc", "holidays", "long", "lunch", "athens", "athensSu", "athensSn", "warsaw", "ny", "nyGapE", "kolkata"} {
		t.Run(name, func(t *testing.T) {
			c := cals[name]
			r := rand.New(rand.NewPCG(5, 6))
			for range 20 {
				a := from.Add(time.Duration(r.Int64N(int64(2 * 366 * 24 * time.Hour))))
				d := time.Duration(r.Int64N(int64(3000 * time.Hour)))
				due := c.Add(a, d)
				var sum time.Duration
				for p := a; p.Before(due); p = p.Add(6 * 24 * time.Hour) {
					sum += c.Between(p, earlier(due, p.Add(6*24*time.Hour)))
				}
				if sum != d {
					t.Fatalf("Add(%s, %s) = %s, which is %s of business time day by day", a.Format(time.RFC3339Nano), d, due.Format(time.RFC3339Nano), sum)
				}
				if got := c.Between(a, due); got != d {
					t.Fatalf("Between(%s, %s) = %s, want %s", a.Format(time.RFC3339Nano), due.Format(time.RFC3339Nano), got, d)
				}
			}
		})
	}
}

// TestExtremes checks that absurd inputs (a zero time, centuries) end
// quickly with sensible answers.
func TestExtremes(t *testing.T) {
	cals := calendars(t)
	var zero time.Time
	maxDuration := time.Duration(1<<63 - 1)
	far := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	if got := cals["always"].Between(zero, far); got != maxDuration {
		t.Errorf("24/7 Between saturates at %s, want %s", got, maxDuration)
	}
	// 0001-01-01 is a Monday. The longest Duration is 15250 weeks, a day
	// and 23:47:16, so the range ends on a Tuesday evening.
	if got, want := cals["utc"].Between(zero, far), 15250*40*time.Hour+2*8*time.Hour; got != want {
		t.Errorf("office hours Between(zero, far) = %s, want %s", got, want)
	}
	for _, name := range []string{"utc", "athens", "ny", "nyGapE", "gone"} {
		c := cals[name]
		for _, at := range []time.Time{zero, far} {
			if due := c.Add(at, maxDuration); !due.After(at.AddDate(399, 0, 0)) {
				t.Errorf("%s: Add(%s, max) = %s", name, at, due)
			}
			if got, week := c.Between(at, far.AddDate(300, 0, 0)), c.Between(at, at.Add(7*24*time.Hour)); got <= week {
				t.Errorf("%s: Between(%s, far) = %s, no more than a week's %s", name, at, got, week)
			}
		}
	}
}

// TestBetweenByMinute checks Between against counting minutes on the wall
// clock, for calendars whose spans do not start or end in an hour the clocks
// change.
func TestBetweenByMinute(t *testing.T) {
	tests := []struct{ name, zone, hours, holidays, from string }{
		{"utc", "UTC", DefaultHours, "2026-03-11 x\n2026-03-20..2026-03-23 y", "2026-03-02 00:00 +00:00"},
		{"athens spring", "Europe/Athens", "mon-thu 09:00-12:00, 13:00-17:00\nsat 08:30-09:45\nsun 00:00-24:00", "2026-04-01", "2026-03-22 00:00 +02:00"},
		{"athens autumn", "Europe/Athens", "24/7", "2026-10-27", "2026-10-18 00:00 +03:00"},
		{"new york", "America/New_York", "mon-fri 08:00-18:00\nsun 00:00-01:00, 05:00-24:00", "", "2026-10-25 00:00 -04:00"},
		{"kolkata", "Asia/Kolkata", "mon-sat 10:00-18:30", "2026-03-04", "2026-03-01 00:00 +05:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCalendar(t, tt.zone, tt.hours, tt.holidays)
			hs, _ := ParseHolidays(tt.holidays)
			from := ts(t, tt.from)
			r := rand.New(rand.NewPCG(3, 4))
			for range 40 {
				a := from.Add(time.Duration(r.IntN(20*24*60)) * time.Minute)
				b := a.Add(time.Duration(r.IntN(3*24*60)) * time.Minute)
				if got, want := c.Between(a, b), countMinutes(c, hs, a, b); got != want {
					t.Fatalf("Between(%s, %s) = %s, counting minutes gives %s", a.Format(layout), b.Format(layout), got, want)
				}
			}
		})
	}
}

// countMinutes counts the minutes in [a, b) whose wall clock falls in a
// span, on days that are not holidays.
func countMinutes(c *Calendar, holidays []Holiday, a, b time.Time) time.Duration {
	var n time.Duration
	for t := a; t.Before(b); t = t.Add(time.Minute) {
		local := t.In(c.Location())
		day, m := DateOf(local), Clock(local.Hour()*60+local.Minute())
		closed := false
		for _, h := range holidays {
			closed = closed || (day.days() >= h.From.days() && day.days() <= h.To.days())
		}
		for _, s := range c.week[local.Weekday()] {
			if !closed && m >= s.Start && m < s.End {
				n += time.Minute
			}
		}
	}
	return n
}

func BenchmarkAdd(b *testing.B) {
	c := newCalendar(b, "Europe/Athens", "mon-thu 09:00-12:00, 13:00-17:00\nfri 09:00-15:00", "2026-04-10 Good Friday\n2026-04-13 Easter Monday\n2026-05-01 Labour Day")
	benchmarks := []struct {
		name string
		d    time.Duration
	}{
		{"4h", 4 * time.Hour},
		{"3 weeks", 3 * 33 * time.Hour},
	}
	start := ts(b, "2026-03-27 18:00 +02:00")
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				c.Add(start, bm.d)
			}
		})
	}
}
