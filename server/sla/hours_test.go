package sla

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseClock(t *testing.T) {
	tests := []struct {
		in   string
		want Clock
		err  string
	}{
		{in: "09:00", want: 9 * 60},
		{in: "9:30", want: 9*60 + 30},
		{in: "00:00", want: 0},
		{in: "23:59", want: 23*60 + 59},
		{in: "24:00", want: minutesPerDay},
		{in: " 07:05 ", want: 7*60 + 5},
		{in: "9", err: `"9" is not a time of day; write it as HH:MM, like 09:00`},
		{in: "9:5", err: `"9:5" is not a time of day; write it as HH:MM, like 09:00`},
		{in: "009:00", err: `"009:00" is not a time of day; write it as HH:MM, like 09:00`},
		{in: "-1:00", err: `"-1:00" is not a time of day; write it as HH:MM, like 09:00`},
		{in: "9.30", err: `"9.30" is not a time of day; write it as HH:MM, like 09:00`},
		{in: "", err: `"" is not a time of day; write it as HH:MM, like 09:00`},
		{in: "09:60", err: `"09:60" is not a time of day between 00:00 and 24:00`},
		{in: "24:01", err: `"24:01" is not a time of day between 00:00 and 24:00`},
		{in: "25:00", err: `"25:00" is not a time of day between 00:00 and 24:00`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseClock(tt.in)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("got %v, %v; want error %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestClockString(t *testing.T) {
	tests := []struct {
		in   Clock
		want string
	}{{0, "00:00"}, {9 * 60, "09:00"}, {13*60 + 5, "13:05"}, {minutesPerDay, "24:00"}}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("got %q", got)
			}
		})
	}
}

// TestParseHours checks what ParseHours reads through the canonical text
// of the Week, and that the text reads back to the same Week.
func TestParseHours(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"default", DefaultHours, "mon-fri 09:00-17:00"},
		{"empty", "", ""},
		{"all closed", "mon-sun closed", ""},
		{"single day", "sat 10:00-14:00", "sat 10:00-14:00"},
		{"two rules", "mon-fri 09:00-17:00\nsat 10:00-14:00", "mon-fri 09:00-17:00\nsat 10:00-14:00"},
		{"two spans", "mon-thu 09:00-12:00, 13:00-17:00\nfri 09:00-12:00", "mon-thu 09:00-12:00, 13:00-17:00\nfri 09:00-12:00"},
		{"spans without comma", "mon 09:00-12:00 13:00-17:00", "mon 09:00-12:00, 13:00-17:00"},
		{"full names and case", "MONDAY-Friday 9:00-17:00\nSaturday 10:00-14:00", "mon-fri 09:00-17:00\nsat 10:00-14:00"},
		{"loose spacing", "  mon - fri   09:00 – 17:00 ,13:00-18:00\t", "mon-fri 09:00-18:00"},
		{"tab after days", "mon-fri\t09:00-17:00", "mon-fri 09:00-17:00"},
		{"comments and blank lines", "# office\n\nmon-fri 09:00-17:00\r\n  # weekend\nsun closed\n", "mon-fri 09:00-17:00"},
		{"overlaps merge", "mon 09:00-12:00, 11:00-14:00, 14:00-15:00, 10:00-11:00", "mon 09:00-15:00"},
		{"rules add up", "mon-fri 09:00-12:00\nmon-fri 13:00-17:00\nwed 12:00-13:00", "mon-tue 09:00-12:00, 13:00-17:00\nwed 09:00-17:00\nthu-fri 09:00-12:00, 13:00-17:00"},
		{"wrapping range", "fri-mon 10:00-12:00", "mon 10:00-12:00\nfri-sun 10:00-12:00"},
		{"one-day range", "wed-wed 10:00-12:00", "wed 10:00-12:00"},
		{"gaps between days", "mon 09:00-17:00\nwed 09:00-17:00", "mon 09:00-17:00\nwed 09:00-17:00"},
		{"24/7", "24/7", "24/7"},
		{"24/7 spelled out", "sun-sat 00:00-24:00", "24/7"},
		{"all days but one", "mon-sat 00:00-24:00", "mon-sat 00:00-24:00"},
		{"late night", "fri 20:00-24:00\nsat 00:00-02:00", "fri 20:00-24:00\nsat 00:00-02:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ParseHours(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := w.String(); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			back, err := ParseHours(w.String())
			if err != nil {
				t.Fatalf("reading back %q: %v", w.String(), err)
			}
			if !reflect.DeepEqual(back, w) {
				t.Errorf("%q reads back as %v, want %v", w.String(), back, w)
			}
		})
	}
}

func TestParseHoursWeek(t *testing.T) {
	got, err := ParseHours("mon-thu 09:00-12:00, 13:00-17:00\nfri 09:00-12:00\nsun closed")
	if err != nil {
		t.Fatal(err)
	}
	split := []Span{{9 * 60, 12 * 60}, {13 * 60, 17 * 60}}
	want := Week{
		time.Monday: split, time.Tuesday: split, time.Wednesday: split, time.Thursday: split,
		time.Friday: {{9 * 60, 12 * 60}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseHoursErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no hours", "mon-fri", `line 1: write the days, then the hours, like "mon-fri 09:00-17:00"`},
		{"unknown day", "\nmonn-fri 09:00-17:00", `line 2: "monn" is not a day; use mon, tue, wed, thu, fri, sat or sun`},
		{"unknown end day", "mon-fry 09:00-17:00", `line 1: "fry" is not a day; use mon, tue, wed, thu, fri, sat or sun`},
		{"hours first", "09:00-17:00 mon-fri", `line 1: "09:00" is not a day; use mon, tue, wed, thu, fri, sat or sun`},
		{"no minutes", "mon-fri 9-17", `line 1: "9" is not a time of day; write it as HH:MM, like 09:00`},
		{"not a range", "# hours\nmon 09:00", `line 2: "09:00" is not a range of hours; write it like 09:00-17:00`},
		{"out of range", "mon 09:00-25:00", `line 1: "25:00" is not a time of day between 00:00 and 24:00`},
		{"backwards", "fri 22:00-02:00", `line 1: 22:00-02:00 ends before it starts; split a span past midnight in two: 22:00-24:00, then 00:00-02:00 the next day`},
		{"empty span", "fri 09:00-09:00", `line 1: 09:00-09:00 is empty`},
		{"closed and open", "sun closed\nsat-sun 10:00-12:00", `line 2: sun is closed on line 1; remove one of the two`},
		{"open and closed", "mon-fri 09:00-17:00\n\nfri closed", `line 3: fri has hours on line 1; remove one of the two`},
		{"24/7 and closed", "24/7\nsun closed", `line 2: sun has hours on line 1; remove one of the two`},
		{"closed with hours", "sun closed 10:00-12:00", `line 1: "closed" is not a range of hours; write it like 09:00-17:00`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHours(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got error %v, want %q", err, tt.want)
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Errorf("error is %T, want *LineError", err)
			}
		})
	}
}

func TestWeekString(t *testing.T) {
	tests := []struct {
		name string
		in   Week
		want string
	}{
		{"zero", Week{}, ""},
		{"unsorted and overlapping", Week{time.Monday: {{13 * 60, 17 * 60}, {9 * 60, 12 * 60}, {11 * 60, 12*60 + 30}}}, "mon 09:00-12:30, 13:00-17:00"},
		{"sunday last", Week{time.Sunday: {{600, 720}}, time.Monday: {{600, 720}}}, "mon 10:00-12:00\nsun 10:00-12:00"},
		{"empty slice is closed", Week{time.Monday: {}, time.Tuesday: {{600, 720}}}, "tue 10:00-12:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
