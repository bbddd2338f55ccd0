// Package sla is the business-time calendar behind reply deadlines: a site's
// time zone, its business hours per weekday, its holidays, and the
// arithmetic on them (Add, Between, NextOpening, NextDayStart). It also reads
// a staff member's quiet hours.
//
// Business hours are wall-clock times in the calendar's location, so
// "09:00-17:00" runs from 09:00 to 17:00 local time even on the days the
// clocks change, and durations are real elapsed time: a 00:00-24:00 span
// lasts 23 hours on the day the clocks go forward.
//
// A wall-clock time is turned into an instant like time.Date does, with two
// rules that keep it deterministic and in order: a time the clocks skip
// (02:30 when they jump from 02:00 to 03:00) moves forward by the gap, to
// 03:30; a time the clocks show twice takes the first of its two instants.
//
// It imports the stdlib only.
package sla
