// Package alert keeps after the team until every reader comment has an
// official answer: it computes deadlines in each site's business time,
// plans the alerts of each open comment into the outbox (new comment,
// reminder, escalation, daily digest) and of each crisis package crisis
// finds, sends them by email and webhook with retries, takes replies by
// email, and measures response times.
//
// It imports comment, crisis, sla and notify; the store satisfies its Store.
package alert

import (
	"fmt"
	"sync"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/sla"
)

// Schedule computes in each site's business time. It keeps one calendar per
// distinct setting and is safe for concurrent use; it satisfies
// comment.Schedule.
type Schedule struct {
	mu        sync.Mutex
	calendars map[string]*sla.Calendar
}

// NewSchedule returns an empty Schedule.
func NewSchedule() *Schedule {
	return &Schedule{calendars: map[string]*sla.Calendar{}}
}

// Calendar returns the business calendar of a site. Errors: Invalid.
func (s *Schedule) Calendar(site comment.Site) (*sla.Calendar, error) {
	key := site.TimeZone + "\x00" + site.Hours + "\x00" + site.Holidays
	s.mu.Lock()
	c, ok := s.calendars[key]
	s.mu.Unlock()
	if ok {
		return c, nil
	}
	c, err := newCalendar(site)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if len(s.calendars) > 1000 { // settings edited many times: start over
		clear(s.calendars)
	}
	s.calendars[key] = c
	s.mu.Unlock()
	return c, nil
}

func newCalendar(site comment.Site) (*sla.Calendar, error) {
	tz := site.TimeZone
	if tz == "" {
		tz = comment.DefaultTimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, comment.FieldError("time_zone", "%q is not a time zone; use a name like Europe/Athens.", tz)
	}
	hours := site.Hours
	if hours == "" {
		hours = comment.DefaultHours
	}
	week, err := sla.ParseHours(hours)
	if err != nil {
		return nil, comment.FieldError("hours", "Business hours: %s", err.Error())
	}
	holidays, err := sla.ParseHolidays(site.Holidays)
	if err != nil {
		return nil, comment.FieldError("holidays", "Holidays: %s", err.Error())
	}
	c, err := sla.New(loc, week, holidays)
	if err != nil {
		return nil, comment.FieldError("hours", "Business hours: %s", err.Error())
	}
	return c, nil
}

// Check validates a site's time zone, hours and holidays. Errors: Invalid.
func (s *Schedule) Check(site comment.Site) error {
	_, err := s.Calendar(site)
	return err
}

// Add returns when d of the site's business time has passed after t. A site
// whose settings do not parse (they are checked when saved) counts every
// hour.
func (s *Schedule) Add(site comment.Site, t time.Time, d time.Duration) time.Time {
	c, err := s.Calendar(site)
	if err != nil {
		return t.Add(d)
	}
	return c.Add(t, d)
}

// Elapsed returns the site's business time between from and to.
func (s *Schedule) Elapsed(site comment.Site, from, to time.Time) time.Duration {
	c, err := s.Calendar(site)
	if err != nil {
		return max(to.Sub(from), 0)
	}
	return c.Between(from, to)
}

// nextDay returns when the site's next business day starts after t: the
// time of a daily digest.
func (s *Schedule) nextDay(site comment.Site, t time.Time) time.Time {
	c, err := s.Calendar(site)
	if err != nil {
		return t.Add(24 * time.Hour)
	}
	return c.NextDayStart(t)
}

// localDate is t's date in the site's time zone, for digest keys.
func (s *Schedule) localDate(site comment.Site, t time.Time) string {
	if c, err := s.Calendar(site); err == nil {
		t = t.In(c.Location())
	}
	return fmt.Sprintf("%04d-%02d-%02d", t.Year(), t.Month(), t.Day())
}

// CheckQuiet validates a staff member's time zone and quiet hours.
// Errors: Invalid.
func (s *Schedule) CheckQuiet(timeZone, quiet string) error {
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		return comment.FieldError("time_zone", "%q is not a time zone; use a name like Europe/Warsaw.", timeZone)
	}
	if _, err := sla.ParseQuiet(quiet, loc); err != nil {
		return comment.FieldError("quiet_hours", "Quiet hours look like 22:00-07:00: %s", err.Error())
	}
	return nil
}
