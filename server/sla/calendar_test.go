package sla

import (
	"errors"
	"sync"
	"testing"
	"time"
)

func TestNextOpening(t *testing.T) {
	cals := calendars(t)
	tests := []struct{ name, cal, in, want string }{
		{"open", "utc", "2026-03-02 10:15 +00:00", "2026-03-02 10:15 +00:00"},
		{"at opening", "utc", "2026-03-02 09:00 +00:00", "2026-03-02 09:00 +00:00"},
		{"before opening", "utc", "2026-03-02 08:59 +00:00", "2026-03-02 09:00 +00:00"},
		{"at closing", "utc", "2026-03-02 17:00 +00:00", "2026-03-03 09:00 +00:00"},
		{"friday evening", "utc", "2026-03-06 18:00 +00:00", "2026-03-09 09:00 +00:00"},
		{"sunday", "utc", "2026-03-08 23:59 +00:00", "2026-03-09 09:00 +00:00"},
		{"holiday", "xmas", "2026-12-25 10:00 +00:00", "2026-12-28 09:00 +00:00"},
		{"holiday range", "break", "2026-12-23 17:00 +00:00", "2026-12-29 09:00 +00:00"},
		{"lunch", "lunch", "2026-03-02 12:00 +00:00", "2026-03-02 13:00 +00:00"},
		{"24/7", "always", "2026-03-08 03:00 +00:00", "2026-03-08 03:00 +00:00"},
		{"athens after the change", "athens", "2026-03-27 18:00 +02:00", "2026-03-30 09:00 +03:00"},
		{"athens in utc", "athens", "2026-03-30 05:59 +00:00", "2026-03-30 09:00 +03:00"},
		{"athens converts the result", "athens", "2026-03-30 06:30 +00:00", "2026-03-30 09:30 +03:00"},
		{"span starting in the gap", "nyGapS", "2026-03-08 00:00 -05:00", "2026-03-08 03:30 -04:00"},
		{"repeated hour takes the first", "athensSn", "2026-10-24 12:00 +03:00", "2026-10-25 03:00 +03:00"},
		{"kolkata", "kolkata", "2026-03-02 04:00 +00:00", "2026-03-02 10:00 +05:30"},
		{"two years closed", "long", "2026-05-29 17:00 +00:00", "2028-06-01 09:00 +00:00"},
		{"closed for good gives t", "gone", "2026-05-29 17:00 +00:00", "2026-05-29 17:00 +00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cals[tt.cal]
			same(t, c, c.NextOpening(ts(t, tt.in)), tt.want)
		})
	}
}

func TestNextDayStart(t *testing.T) {
	cals := calendars(t)
	tests := []struct{ name, cal, in, want string }{
		{"during the day", "utc", "2026-03-02 10:00 +00:00", "2026-03-03 09:00 +00:00"},
		{"before opening is still today", "utc", "2026-03-02 08:00 +00:00", "2026-03-03 09:00 +00:00"},
		{"midnight", "utc", "2026-03-02 00:00 +00:00", "2026-03-03 09:00 +00:00"},
		{"friday", "utc", "2026-03-06 10:00 +00:00", "2026-03-09 09:00 +00:00"},
		{"saturday", "utc", "2026-03-07 10:00 +00:00", "2026-03-09 09:00 +00:00"},
		{"sunday night", "utc", "2026-03-08 23:30 +00:00", "2026-03-09 09:00 +00:00"},
		{"before a holiday", "xmas", "2026-12-24 10:00 +00:00", "2026-12-28 09:00 +00:00"},
		{"before a holiday range", "break", "2026-12-23 10:00 +00:00", "2026-12-29 09:00 +00:00"},
		{"several holidays", "holidays", "2026-12-31 10:00 +00:00", "2027-01-04 09:00 +00:00"},
		{"short friday", "lunch", "2026-03-05 14:00 +00:00", "2026-03-06 09:00 +00:00"},
		{"24/7", "always", "2026-03-02 10:00 +00:00", "2026-03-03 00:00 +00:00"},
		{"local date, not utc", "athens", "2026-03-02 23:30 +00:00", "2026-03-04 09:00 +02:00"},
		{"athens across the change", "athens", "2026-03-27 10:00 +02:00", "2026-03-30 09:00 +03:00"},
		{"athens 24/7 on the change", "athens24", "2026-03-28 12:00 +02:00", "2026-03-29 00:00 +02:00"},
		{"athens 24/7 after the change", "athens24", "2026-03-29 12:00 +03:00", "2026-03-30 00:00 +03:00"},
		{"new york 24/7 autumn", "ny24", "2026-11-01 01:30 -05:00", "2026-11-02 00:00 -05:00"},
		{"kolkata", "kolkata", "2026-03-06 20:00 +00:00", "2026-03-09 10:00 +05:30"},
		{"two years closed", "long", "2026-05-29 10:00 +00:00", "2028-06-01 09:00 +00:00"},
		{"closed for good gives the next midnight", "gone", "2026-05-29 10:00 +00:00", "2026-05-30 00:00 +00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cals[tt.cal]
			same(t, c, c.NextDayStart(ts(t, tt.in)), tt.want)
		})
	}
}

func TestOpen(t *testing.T) {
	cals := calendars(t)
	tests := []struct {
		name, cal, in string
		want          bool
	}{
		{"inside", "utc", "2026-03-02 10:00 +00:00", true},
		{"at opening", "utc", "2026-03-02 09:00 +00:00", true},
		{"a second before closing", "utc", "2026-03-02 16:59:59 +00:00", true},
		{"at closing", "utc", "2026-03-02 17:00 +00:00", false},
		{"night", "utc", "2026-03-02 03:00 +00:00", false},
		{"saturday", "utc", "2026-03-07 10:00 +00:00", false},
		{"holiday", "xmas", "2026-12-25 10:00 +00:00", false},
		{"day before the holiday", "xmas", "2026-12-24 10:00 +00:00", true},
		{"inside a holiday range", "break", "2026-12-28 10:00 +00:00", false},
		{"after a holiday range", "break", "2026-12-29 10:00 +00:00", true},
		{"lunch", "lunch", "2026-03-02 12:30 +00:00", false},
		{"afternoon", "lunch", "2026-03-02 13:00 +00:00", true},
		{"friday afternoon", "lunch", "2026-03-06 13:00 +00:00", false},
		{"24/7", "always", "2026-03-08 03:00 +00:00", true},
		{"athens by local time", "athens", "2026-03-02 07:30 +00:00", true},
		{"athens before local opening", "athens", "2026-03-02 06:30 +00:00", false},
		{"athens local date is sunday", "athensSu", "2026-03-28 22:30 +00:00", true},
		{"athens local date is monday", "athensSu", "2026-03-29 21:30 +00:00", false},
		{"kolkata half hour offset", "kolkata", "2026-03-02 04:29 +00:00", false},
		{"kolkata opening", "kolkata", "2026-03-02 04:30 +00:00", true},
		{"new york gap span", "nyGap", "2026-03-08 03:30 -04:00", true},
		{"new york gap span end", "nyGap", "2026-03-08 04:00 -04:00", false},
		{"first pass of the repeated hour", "athensSn", "2026-10-25 03:30 +03:00", true},
		{"second pass of the repeated hour", "athensSn", "2026-10-25 03:30 +02:00", true},
		{"after the repeated hour", "athensSn", "2026-10-25 05:00 +02:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cals[tt.cal].Open(ts(t, tt.in)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	nineToFive := Week{time.Monday: {{9 * 60, 17 * 60}}}
	tests := []struct {
		name     string
		week     Week
		holidays []Holiday
		want     string
	}{
		{"no hours", Week{}, nil, "there are no business hours in the week"},
		{"only empty days", Week{time.Monday: {}}, nil, "there are no business hours in the week"},
		{"backwards span", Week{time.Tuesday: {{17 * 60, 9 * 60}}}, nil, "Tuesday: 17:00-09:00 ends before it starts; split a span past midnight in two: 17:00-24:00, then 00:00-09:00 the next day"},
		{"span past midnight", Week{time.Friday: {{9 * 60, 25 * 60}}}, nil, "Friday: a span of minutes 540-1500 is outside 00:00-24:00"},
		{"no such date", nineToFive, []Holiday{{From: Date{2026, time.February, 30}}}, "holiday 2026-02-30..2026-02-30 is not a valid date"},
		{"backwards holiday", nineToFive, []Holiday{{From: Date{2026, 12, 26}, To: Date{2026, 12, 24}}}, "holiday 2026-12-26..2026-12-24 ends before it starts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(time.UTC, tt.week, tt.holidays)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got error %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("ErrNoHours", func(t *testing.T) {
		if _, err := New(time.UTC, Week{}, nil); !errors.Is(err, ErrNoHours) {
			t.Errorf("got %v, want ErrNoHours", err)
		}
	})
	t.Run("nil location is UTC", func(t *testing.T) {
		c, err := New(nil, nineToFive, nil)
		if err != nil {
			t.Fatal(err)
		}
		same(t, c, c.NextOpening(ts(t, "2026-03-02 10:00 +02:00")), "2026-03-02 09:00 +00:00")
		if c.Location() != time.UTC {
			t.Errorf("location %s, want UTC", c.Location())
		}
	})
	t.Run("zero To is one day", func(t *testing.T) {
		c, err := New(time.UTC, nineToFive, []Holiday{{From: Date{2026, time.March, 2}}})
		if err != nil {
			t.Fatal(err)
		}
		same(t, c, c.NextOpening(ts(t, "2026-03-02 10:00 +00:00")), "2026-03-09 09:00 +00:00")
	})
	t.Run("unsorted overlapping spans and holidays", func(t *testing.T) {
		week := Week{time.Monday: {{13 * 60, 17 * 60}, {9 * 60, 12 * 60}, {11 * 60, 13 * 60}}}
		holidays := []Holiday{
			{From: Date{2026, 3, 16}, To: Date{2026, 3, 16}},
			{From: Date{2026, 3, 2}, To: Date{2026, 3, 10}},
			{From: Date{2026, 3, 9}, To: Date{2026, 3, 9}},
		}
		c, err := New(time.UTC, week, holidays)
		if err != nil {
			t.Fatal(err)
		}
		same(t, c, c.Add(ts(t, "2026-02-23 16:00 +00:00"), 2*time.Hour), "2026-03-23 10:00 +00:00")
		if got := c.Between(ts(t, "2026-03-23 00:00 +00:00"), ts(t, "2026-03-24 00:00 +00:00")); got != 8*time.Hour {
			t.Errorf("Monday has %s of business time, want 8h", got)
		}
	})
	t.Run("does not share the caller's week", func(t *testing.T) {
		week := Week{time.Monday: {{9 * 60, 17 * 60}}}
		c, err := New(time.UTC, week, nil)
		if err != nil {
			t.Fatal(err)
		}
		week[time.Monday][0].End = 10 * 60
		if got := c.Between(ts(t, "2026-03-02 00:00 +00:00"), ts(t, "2026-03-03 00:00 +00:00")); got != 8*time.Hour {
			t.Errorf("Monday has %s of business time after the caller's edit, want 8h", got)
		}
	})
}

// TestCalendarConcurrent lets the race detector watch a shared calendar.
func TestCalendarConcurrent(t *testing.T) {
	c := newCalendar(t, "Europe/Athens", DefaultHours, "2026-12-25")
	start := ts(t, "2026-12-24 16:00 +02:00")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if got := c.Add(start, 4*time.Hour); !got.Equal(ts(t, "2026-12-28 12:00 +02:00")) {
					t.Errorf("got %s", got.Format(layout))
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestWall checks wall against time.Date away from clock changes, and the
// two rules it adds at them.
func TestWall(t *testing.T) {
	t.Run("matches time.Date", func(t *testing.T) {
		for _, zone := range []string{"UTC", "Europe/Athens", "Europe/Warsaw", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"} {
			loc := loadLocation(t, zone)
			first := Date{2025, time.January, 1}.days()
			for dn := first; dn < first+3*366; dn++ {
				for _, m := range []int{0, 9 * 60, 17*60 + 30, 23*60 + 59, minutesPerDay} {
					want := time.Date(1970, time.January, 1+dn, 0, m, 0, 0, loc)
					if got := wall(loc, dn, m); !got.Equal(want) {
						if _, off := want.Zone(); want.Unix()+int64(off) == int64(dn)*secondsPerDay+int64(m)*60 && want.Sub(got) <= 2*time.Hour {
							continue // the second of two instants with that clock time
						}
						t.Fatalf("%s day %d minute %d: got %s, time.Date gives %s", zone, dn, m, got, want)
					}
				}
			}
		}
	})
	tests := []struct {
		name, zone, date string
		m                int
		want             string
	}{
		{"athens gap", "Europe/Athens", "2026-03-29", 3*60 + 30, "2026-03-29 04:30 +03:00"},
		{"new york gap", "America/New_York", "2026-03-08", 2*60 + 30, "2026-03-08 03:30 -04:00"},
		{"new york gap start", "America/New_York", "2026-03-08", 2 * 60, "2026-03-08 03:00 -04:00"},
		{"athens repeated", "Europe/Athens", "2026-10-25", 3*60 + 30, "2026-10-25 03:30 +03:00"},
		{"new york repeated", "America/New_York", "2026-11-01", 60 + 30, "2026-11-01 01:30 -04:00"},
		{"lord howe half-hour gap", "Australia/Lord_Howe", "2026-10-04", 2*60 + 15, "2026-10-04 02:45 +11:00"},
		{"next midnight", "Europe/Athens", "2026-03-28", minutesPerDay, "2026-03-29 00:00 +02:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := loadLocation(t, tt.zone)
			d, err := ParseDate(tt.date)
			if err != nil {
				t.Fatal(err)
			}
			got := wall(loc, d.days(), tt.m)
			if want := ts(t, tt.want); !got.Equal(want) {
				t.Errorf("got %s, want %s", got.Format(layout), want.Format(layout))
			}
		})
	}
}
