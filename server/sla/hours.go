package sla

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// DefaultHours are the business hours of a site that sets none.
const DefaultHours = "mon-fri 09:00-17:00"

// Week holds the business spans of each weekday, indexed by time.Weekday.
// A day without spans is closed.
type Week [7][]Span

// LineError is a mistake on one line of business hours or holidays. Its
// message is written for the admin who typed the line.
type LineError struct {
	Line int    // 1-based
	Msg  string // what is wrong
}

// Error writes the line number, then what is wrong: "line 3: ...".
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// dashSpaces matches a dash written loosely by hand ("mon - fri",
// "09:00 – 17:00"); it is tightened to "-" before a line is split into
// fields.
var dashSpaces = regexp.MustCompile(`\s*[-–]\s*`)

// ParseHours reads business hours, one rule per line: "mon-fri 09:00-17:00",
// "sat 10:00-14:00", "mon-thu 09:00-12:00, 13:00-17:00", "sun closed", or
// "24/7". Day names are English, three letters or in full, in any case; a
// range of days may wrap (fri-mon). Blank lines and lines starting with #
// are ignored. Rules add up, and spans that overlap or touch on a day are
// merged; a day named closed on one line and given hours on another is an
// error. Errors are *LineError.
func ParseHours(s string) (Week, error) {
	var w Week
	var open, closed [7]int // the line that gave each day hours, or closed it
	for i, line := range strings.Split(s, "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		days, spans, err := parseRule(line)
		if err != nil {
			return Week{}, &LineError{n, err.Error()}
		}
		for _, d := range days {
			switch {
			case spans == nil && open[d] != 0:
				return Week{}, &LineError{n, fmt.Sprintf("%s has hours on line %d; remove one of the two", dayName(d), open[d])}
			case spans != nil && closed[d] != 0:
				return Week{}, &LineError{n, fmt.Sprintf("%s is closed on line %d; remove one of the two", dayName(d), closed[d])}
			case spans == nil:
				closed[d] = n
			default:
				open[d] = n
				w[d] = append(w[d], spans...)
			}
		}
	}
	return w.normalize(), nil
}

// parseRule reads one line of hours. A closed day has nil spans.
func parseRule(line string) ([]time.Weekday, []Span, error) {
	if strings.EqualFold(line, "24/7") {
		return allDays(), []Span{{0, minutesPerDay}}, nil
	}
	line = dashSpaces.ReplaceAllString(line, "-")
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return nil, nil, fmt.Errorf("write the days, then the hours, like %q", DefaultHours)
	}
	dayPart, rest := fields[0], strings.Join(fields[1:], " ")
	days, err := parseDays(dayPart)
	if err != nil {
		return nil, nil, err
	}
	if strings.EqualFold(rest, "closed") {
		return days, nil, nil
	}
	var spans []Span
	for _, part := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' }) {
		sp, err := parseSpan(part)
		if err != nil {
			return nil, nil, err
		}
		spans = append(spans, sp)
	}
	return days, spans, nil
}

// parseDays reads "mon", "monday" or a range "mon-fri", which may wrap
// ("fri-mon").
func parseDays(s string) ([]time.Weekday, error) {
	a, b, isRange := strings.Cut(s, "-")
	from, err := parseDay(a)
	if err != nil {
		return nil, err
	}
	to := from
	if isRange {
		if to, err = parseDay(b); err != nil {
			return nil, err
		}
	}
	days := []time.Weekday{from}
	for d := from; d != to; {
		d = (d + 1) % 7
		days = append(days, d)
	}
	return days, nil
}

// parseDay reads an English day name, three letters or in full.
func parseDay(s string) (time.Weekday, error) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, dayName(d)) || strings.EqualFold(s, d.String()) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("%q is not a day; use mon, tue, wed, thu, fri, sat or sun", s)
}

// dayName is the three-letter name of d, like "mon".
func dayName(d time.Weekday) string { return strings.ToLower(d.String()[:3]) }

func allDays() []time.Weekday {
	return []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
}

// normalize returns a copy of w with each day's spans sorted, and spans that
// overlap or touch merged. Closed days are nil.
func (w Week) normalize() Week {
	var out Week
	for d, spans := range w {
		sorted := slices.Clone(spans)
		slices.SortFunc(sorted, func(a, b Span) int { return int(a.Start - b.Start) })
		var merged []Span
		for _, s := range sorted {
			if n := len(merged); n > 0 && s.Start <= merged[n-1].End {
				merged[n-1].End = max(merged[n-1].End, s.End)
				continue
			}
			merged = append(merged, s)
		}
		out[d] = merged
	}
	return out
}

// check reports the first invalid span of w.
func (w Week) check() error {
	for d, spans := range w {
		for _, s := range spans {
			if err := s.check(); err != nil {
				return fmt.Errorf("%s: %w", time.Weekday(d), err)
			}
		}
	}
	return nil
}

// String writes w as the text ParseHours reads back to the same Week: one
// line per run of consecutive days (Monday first) with the same spans, such
// as "mon-fri 09:00-17:00\nsat 10:00-14:00", or "24/7". Closed days are left
// out, so a week with no hours is "".
func (w Week) String() string {
	w = w.normalize()
	allDay := []Span{{0, minutesPerDay}}
	if slices.IndexFunc(w[:], func(s []Span) bool { return !slices.Equal(s, allDay) }) < 0 {
		return "24/7"
	}
	order := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	var lines []string
	for i := 0; i < len(order); {
		j := i
		for j+1 < len(order) && slices.Equal(w[order[j+1]], w[order[i]]) {
			j++
		}
		if spans := w[order[i]]; len(spans) > 0 {
			days := dayName(order[i])
			if j > i {
				days += "-" + dayName(order[j])
			}
			lines = append(lines, days+" "+formatSpans(spans))
		}
		i = j + 1
	}
	return strings.Join(lines, "\n")
}

// formatSpans writes "09:00-12:00, 13:00-17:00".
func formatSpans(spans []Span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}
