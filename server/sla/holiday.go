package sla

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Date is a civil date, without a time of day or a time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD, like 2026-12-25", s)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String writes d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// valid reports whether d names a day that exists (not February 30).
func (d Date) valid() bool {
	return DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) == d
}

// days counts the days from 1970-01-01 to d.
func (d Date) days() int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

// Holiday closes the whole local days From to To, both included. A zero To
// means To = From.
type Holiday struct {
	From, To Date
	Name     string
}

// rangeDots lets "2026-12-24 .. 2026-12-26" be written with spaces.
var rangeDots = regexp.MustCompile(`\s*\.\.\s*`)

// ParseHolidays reads one holiday per line: a date or a range of dates, then
// an optional name, like "2026-12-25 Christmas" or "2026-12-24..2026-12-26
// Winter break". Blank lines and lines starting with # are ignored. Errors
// are *LineError.
func ParseHolidays(s string) ([]Holiday, error) {
	var out []Holiday
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		h, err := parseHoliday(rangeDots.ReplaceAllString(line, ".."))
		if err != nil {
			return nil, &LineError{i + 1, err.Error()}
		}
		out = append(out, h)
	}
	return out, nil
}

// parseHoliday reads one line of holidays.
func parseHoliday(line string) (Holiday, error) {
	fields := strings.Fields(line)
	dates, name := fields[0], strings.Join(fields[1:], " ")
	a, b, isRange := strings.Cut(dates, "..")
	from, err := ParseDate(a)
	if err != nil {
		return Holiday{}, err
	}
	to := from
	if isRange {
		if to, err = ParseDate(b); err != nil {
			return Holiday{}, err
		}
		if to.days() < from.days() {
			return Holiday{}, fmt.Errorf("%s..%s ends before it starts", from, to)
		}
	}
	return Holiday{From: from, To: to, Name: name}, nil
}

// FormatHolidays writes holidays as the text ParseHolidays reads back, one
// per line.
func FormatHolidays(holidays []Holiday) string {
	lines := make([]string, len(holidays))
	for i, h := range holidays {
		line := h.From.String()
		if !h.To.IsZero() && h.To != h.From {
			line += ".." + h.To.String()
		}
		if name := strings.Join(strings.Fields(h.Name), " "); name != "" {
			line += " " + name
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}
