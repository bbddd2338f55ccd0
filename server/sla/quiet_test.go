package sla

import (
	"testing"
	"time"
)

func TestParseQuiet(t *testing.T) {
	tests := []struct {
		name, in string
		want     Quiet // Loc aside
		err      string
	}{
		{name: "empty", in: ""},
		{name: "blank", in: "  "},
		{name: "overnight", in: "22:00-07:00", want: Quiet{Start: 22 * 60, End: 7 * 60}},
		{name: "daytime", in: "13:00-14:30", want: Quiet{Start: 13 * 60, End: 14*60 + 30}},
		{name: "loose", in: " 9:00 – 10:00 ", want: Quiet{Start: 9 * 60, End: 10 * 60}},
		{name: "until midnight", in: "22:00-24:00", want: Quiet{Start: 22 * 60, End: minutesPerDay}},
		{name: "until midnight as 00:00", in: "22:00-00:00", want: Quiet{Start: 22 * 60, End: 0}},
		{name: "one time", in: "22:00", err: `"22:00" is not a range of hours; write it like 22:00-07:00`},
		{name: "no minutes", in: "22-07", err: `"22" is not a time of day; write it as HH:MM, like 09:00`},
		{name: "bad end", in: "22:00-31:00", err: `"31:00" is not a time of day between 00:00 and 24:00`},
		{name: "empty span", in: "07:00-07:00", err: "07:00-07:00 is not quiet hours: they must start and end at different times of day"},
		{name: "whole day", in: "00:00-24:00", err: "00:00-24:00 is not quiet hours: they must start and end at different times of day"},
	}
	warsaw := loadLocation(t, "Europe/Warsaw")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseQuiet(tt.in, warsaw)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("got %+v, %v; want error %q", got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Start != tt.want.Start || got.End != tt.want.End {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			if tt.want == (Quiet{}) {
				if got != (Quiet{}) {
					t.Fatalf("got %+v, want the zero Quiet", got)
				}
				return
			}
			if got.Loc != warsaw {
				t.Errorf("location %v, want Europe/Warsaw", got.Loc)
			}
			back, err := ParseQuiet(got.String(), warsaw)
			if err != nil || back != got {
				t.Errorf("%q reads back as %+v, %v", got.String(), back, err)
			}
		})
	}
	t.Run("nil location is UTC", func(t *testing.T) {
		q, err := ParseQuiet("22:00-07:00", nil)
		if err != nil || q.Loc != time.UTC {
			t.Errorf("got %+v, %v", q, err)
		}
	})
}

func TestQuietString(t *testing.T) {
	tests := []struct {
		name string
		in   Quiet
		want string
	}{
		{"zero", Quiet{}, ""},
		{"overnight", Quiet{Start: 22 * 60, End: 7 * 60}, "22:00-07:00"},
		{"daytime", Quiet{Start: 13 * 60, End: 14 * 60}, "13:00-14:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestQuietUntil(t *testing.T) {
	tests := []struct {
		name, zone, quiet, at string
		want                  string // "" when not quiet
	}{
		{"evening", "Europe/Warsaw", "22:00-07:00", "2026-03-02 23:00 +01:00", "2026-03-03 07:00 +01:00"},
		{"at the start", "Europe/Warsaw", "22:00-07:00", "2026-03-02 22:00 +01:00", "2026-03-03 07:00 +01:00"},
		{"before the start", "Europe/Warsaw", "22:00-07:00", "2026-03-02 21:59 +01:00", ""},
		{"after midnight", "Europe/Warsaw", "22:00-07:00", "2026-03-03 03:00 +01:00", "2026-03-03 07:00 +01:00"},
		{"last second", "Europe/Warsaw", "22:00-07:00", "2026-03-03 06:59:59 +01:00", "2026-03-03 07:00 +01:00"},
		{"at the end", "Europe/Warsaw", "22:00-07:00", "2026-03-03 07:00 +01:00", ""},
		{"daytime", "Europe/Warsaw", "22:00-07:00", "2026-03-03 12:00 +01:00", ""},
		{"given in utc", "Europe/Warsaw", "22:00-07:00", "2026-03-02 21:30 +00:00", "2026-03-03 07:00 +01:00"},
		{"not wrapping", "Europe/Warsaw", "13:00-14:00", "2026-03-03 13:30 +01:00", "2026-03-03 14:00 +01:00"},
		{"not wrapping, after", "Europe/Warsaw", "13:00-14:00", "2026-03-03 14:00 +01:00", ""},
		{"not wrapping, before", "Europe/Warsaw", "13:00-14:00", "2026-03-03 12:59 +01:00", ""},
		{"until 24:00", "Europe/Warsaw", "22:00-24:00", "2026-03-03 23:00 +01:00", "2026-03-04 00:00 +01:00"},
		{"until 00:00", "Europe/Warsaw", "22:00-00:00", "2026-03-03 23:00 +01:00", "2026-03-04 00:00 +01:00"},
		{"until 00:00, morning", "Europe/Warsaw", "22:00-00:00", "2026-03-03 09:00 +01:00", ""},
		{"from midnight", "Europe/Warsaw", "00:00-06:00", "2026-03-03 05:00 +01:00", "2026-03-03 06:00 +01:00"},
		{"spring night is shorter", "Europe/Warsaw", "22:00-07:00", "2026-03-28 23:00 +01:00", "2026-03-29 07:00 +02:00"},
		{"autumn night is longer", "Europe/Warsaw", "22:00-07:00", "2026-10-24 23:00 +02:00", "2026-10-25 07:00 +01:00"},
		{"end skipped in spring", "Europe/Warsaw", "22:00-02:30", "2026-03-28 23:00 +01:00", "2026-03-29 03:30 +02:00"},
		{"end skipped in new york", "America/New_York", "22:00-02:30", "2026-03-07 23:00 -05:00", "2026-03-08 03:30 -04:00"},
		{"just before the gap", "America/New_York", "22:00-02:30", "2026-03-08 01:50 -05:00", "2026-03-08 03:30 -04:00"},
		{"after the gap", "America/New_York", "22:00-02:30", "2026-03-08 03:00 -04:00", ""},
		{"repeated end, first time", "Europe/Warsaw", "22:00-02:30", "2026-10-24 23:00 +02:00", "2026-10-25 02:30 +02:00"},
		{"repeated end, second time", "Europe/Warsaw", "22:00-02:30", "2026-10-25 02:10 +01:00", "2026-10-25 02:30 +01:00"},
		{"new york repeated end, second time", "America/New_York", "23:00-01:30", "2026-11-01 01:10 -05:00", "2026-11-01 01:30 -05:00"},
		{"kolkata", "Asia/Kolkata", "22:00-07:00", "2026-03-02 16:45 +00:00", "2026-03-03 07:00 +05:30"},
		{"kolkata not yet", "Asia/Kolkata", "22:00-07:00", "2026-03-02 16:29 +00:00", ""},
		{"athens", "Europe/Athens", "21:00-08:00", "2026-03-29 04:00 +00:00", "2026-03-29 08:00 +03:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := loadLocation(t, tt.zone)
			q, err := ParseQuiet(tt.quiet, loc)
			if err != nil {
				t.Fatal(err)
			}
			end, quiet := q.Until(ts(t, tt.at))
			if tt.want == "" {
				if quiet || !end.IsZero() {
					t.Fatalf("quiet until %s, want not quiet", end.Format(layout))
				}
				return
			}
			if !quiet {
				t.Fatalf("not quiet, want quiet until %s", tt.want)
			}
			if w := ts(t, tt.want); !end.Equal(w) {
				t.Errorf("quiet until %s, want %s", end.Format(layout), w.Format(layout))
			}
			if end.Location() != loc {
				t.Errorf("end in %s, want %s", end.Location(), loc)
			}
		})
	}
	t.Run("zero Quiet", func(t *testing.T) {
		if end, quiet := (Quiet{}).Until(ts(t, "2026-03-03 00:00 +00:00")); quiet || !end.IsZero() {
			t.Errorf("got %s, %v", end, quiet)
		}
	})
	t.Run("nil location is UTC", func(t *testing.T) {
		q := Quiet{Start: 22 * 60, End: 7 * 60}
		end, quiet := q.Until(ts(t, "2026-03-03 23:00 +00:00"))
		if !quiet || !end.Equal(ts(t, "2026-03-04 07:00 +00:00")) {
			t.Errorf("got %s, %v", end.Format(layout), quiet)
		}
	})
}
