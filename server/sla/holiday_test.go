package sla

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseHolidays(t *testing.T) {
	xmas := Date{2026, time.December, 25}
	tests := []struct {
		name, in string
		want     []Holiday
		text     string // FormatHolidays of want
	}{
		{"empty", "", nil, ""},
		{"only comments", "# none yet\n\n", nil, ""},
		{"one day", "2026-12-25 Christmas", []Holiday{{xmas, xmas, "Christmas"}}, "2026-12-25 Christmas"},
		{"no name", "2026-12-25", []Holiday{{xmas, xmas, ""}}, "2026-12-25"},
		{"range", "2026-12-24..2026-12-26 Winter break", []Holiday{{Date{2026, 12, 24}, Date{2026, 12, 26}, "Winter break"}}, "2026-12-24..2026-12-26 Winter break"},
		{"range with spaces", "2026-12-24 .. 2026-12-26\tWinter   break ", []Holiday{{Date{2026, 12, 24}, Date{2026, 12, 26}, "Winter break"}}, "2026-12-24..2026-12-26 Winter break"},
		{"one-day range", "2026-12-25..2026-12-25 Christmas", []Holiday{{xmas, xmas, "Christmas"}}, "2026-12-25 Christmas"},
		{"across the year", "2026-12-31..2027-01-02", []Holiday{{Date{2026, 12, 31}, Date{2027, 1, 2}, ""}}, "2026-12-31..2027-01-02"},
		{
			"several, in the order given", "# 2026\r\n2026-12-25 Christmas\n\n2026-04-10 Good Friday\n2024-02-29 Leap day",
			[]Holiday{{xmas, xmas, "Christmas"}, {Date{2026, 4, 10}, Date{2026, 4, 10}, "Good Friday"}, {Date{2024, 2, 29}, Date{2024, 2, 29}, "Leap day"}},
			"2026-12-25 Christmas\n2026-04-10 Good Friday\n2024-02-29 Leap day",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHolidays(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			text := FormatHolidays(got)
			if text != tt.text {
				t.Fatalf("FormatHolidays gives %q, want %q", text, tt.text)
			}
			back, err := ParseHolidays(text)
			if err != nil || !reflect.DeepEqual(back, got) {
				t.Errorf("%q reads back as %+v, %v", text, back, err)
			}
		})
	}
}

func TestParseHolidaysErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"month 13", "2026-13-01 Nothing", `line 1: "2026-13-01" is not a date; write it as YYYY-MM-DD, like 2026-12-25`},
		{"february 30", "2026-12-25\n2026-02-30", `line 2: "2026-02-30" is not a date; write it as YYYY-MM-DD, like 2026-12-25`},
		{"not a leap year", "2026-02-29", `line 1: "2026-02-29" is not a date; write it as YYYY-MM-DD, like 2026-12-25`},
		{"name first", "Christmas 2026-12-25", `line 1: "Christmas" is not a date; write it as YYYY-MM-DD, like 2026-12-25`},
		{"american", "12/25/2026", `line 1: "12/25/2026" is not a date; write it as YYYY-MM-DD, like 2026-12-25`},
		{"short", "2026-12-5", `line 1: "2026-12-5" is not a date; write it as YYYY-MM-DD, like 2026-12-25`},
		{"backwards", "# break\n\n2026-12-26..2026-12-24 Break", `line 3: 2026-12-26..2026-12-24 ends before it starts`},
		{"open range", "2026-12-24.. Break", `line 1: "Break" is not a date; write it as YYYY-MM-DD, like 2026-12-25`},
		{"bad end", "2026-12-24..2026-12-32", `line 1: "2026-12-32" is not a date; write it as YYYY-MM-DD, like 2026-12-25`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHolidays(tt.in)
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

func TestFormatHolidays(t *testing.T) {
	tests := []struct {
		name string
		in   []Holiday
		want string
	}{
		{"none", nil, ""},
		{"zero To", []Holiday{{From: Date{2026, 5, 1}, Name: "Labour Day"}}, "2026-05-01 Labour Day"},
		{"name with a newline", []Holiday{{From: Date{2026, 5, 1}, To: Date{2026, 5, 3}, Name: "Long\nweekend"}}, "2026-05-01..2026-05-03 Long weekend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatHolidays(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		in   Date
		want string
		days int
	}{
		{Date{1970, time.January, 1}, "1970-01-01", 0},
		{Date{1969, time.December, 31}, "1969-12-31", -1},
		{Date{2026, time.March, 29}, "2026-03-29", 20541},
		{Date{5, time.May, 6}, "0005-05-06", -717576},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("String() = %q", got)
			}
			if got := tt.in.days(); got != tt.days {
				t.Errorf("days() = %d, want %d", got, tt.days)
			}
			if got := weekday(tt.in.days()); got != time.Date(tt.in.Year, tt.in.Month, tt.in.Day, 0, 0, 0, 0, time.UTC).Weekday() {
				t.Errorf("weekday() = %s", got)
			}
		})
	}
	if d := DateOf(ts(t, "2026-03-01 23:30 -05:00")); d != (Date{2026, time.March, 1}) {
		t.Errorf("DateOf uses the time's own location: got %s", d)
	}
}
