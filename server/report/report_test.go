package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// answered is a fact of a comment answered after minutes of business time.
func answered(created string, assignee int64, minutes int, tone float64, scored bool) comment.ReplyFact {
	c := at(created)
	return comment.ReplyFact{SiteID: 1, AssigneeID: assignee, CreatedAt: c, AnsweredAt: c.Add(time.Duration(minutes) * time.Minute),
		ReplyTime: time.Duration(minutes) * time.Minute, State: comment.ReplyAnswered, Negativity: tone, Scored: scored}
}

func fact(created string, assignee int64, state comment.ReplyState, tone float64, scored bool) comment.ReplyFact {
	return comment.ReplyFact{SiteID: 1, AssigneeID: assignee, CreatedAt: at(created), State: state, Negativity: tone, Scored: scored}
}

// week is a week of a Berlin site (UTC+1 in November) with facts worked out
// by hand in the tests below. Today is Monday 23 November, 11:00 in Berlin.
func week(assignee int64) Dashboard {
	q := Query{Site: comment.Site{ID: 1, Name: "blog", TimeZone: "Europe/Berlin"}, Period: 7, Assignee: assignee, Now: at("2026-11-23 10:00")}
	facts := []comment.ReplyFact{
		fact("2026-11-16 22:30", 5, comment.ReplyOpen, 0.9, true), // 16 Nov, 23:30 in Berlin: before the week
		answered("2026-11-16 23:30", 5, 60, 0.8, true),            // 17 Nov, 00:30 in Berlin
		answered("2026-11-17 12:00", 0, 120, 0.2, true),
		fact("2026-11-17 13:00", 5, comment.ReplyOpen, 0, false),
		fact("2026-11-17 14:00", 0, comment.ReplyNotNeeded, 0.5, true),
		answered("2026-11-19 09:00", 7, 45, 0.1, true),
		answered("2026-11-21 09:00", 7, 10, 0, false),
		answered("2026-11-21 10:00", 7, 20, 0, false),
		answered("2026-11-21 11:00", 7, 300, 0, false),
		{SiteID: 2, CreatedAt: at("2026-11-20 10:00"), State: comment.ReplyOpen}, // another site
	}
	backlogs := []comment.Backlog{
		{SiteID: 1, AssigneeID: 0, Buckets: [6]int{1, 0, 0, 0, 0, 0}},
		{SiteID: 1, AssigneeID: 5, Buckets: [6]int{0, 2, 0, 0, 0, 1}, Overdue: 1},
	}
	return Build(q, facts, backlogs)
}

func TestBuildDays(t *testing.T) {
	d := week(Everyone)
	if len(d.Days) != 7 || d.Days[0].Date.Format("2006-01-02 15:04 MST") != "2026-11-17 00:00 CET" ||
		d.Days[6].Date.Format(time.DateOnly) != "2026-11-23" {
		t.Fatalf("days from %v to %v", d.Days[0].Date, d.Days[len(d.Days)-1].Date)
	}
	tests := []struct {
		name  string
		day   int
		cells string
	}{
		// A, C, D, E: 2 of the 3 that want a reply answered, in 60 and 120
		// minutes; tones 0.8, 0.2, 0.5 (mean 0.5, two of three negative).
		{"a busy day", 0, "4 2 1 1 67% 60 120 3 0.50 67%"},
		{"an empty day", 1, "0 0 0 0 _ _ _ 0 _ _"},
		{"one reply: median and p90 are it", 2, "1 1 0 0 100% 45 45 1 0.10 0%"},
		// Nearest rank of 10, 20, 300: the 2nd and the 3rd.
		{"three replies, none scored", 4, "3 3 0 0 100% 20 300 0 _ _"},
		{"today, nothing yet", 6, "0 0 0 0 _ _ _ 0 _ _"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := joined(Cells(d.Days[tt.day].Figures)); got != tt.cells {
				t.Errorf("%s: %q, want %q", d.Days[tt.day].Date.Format(time.DateOnly), got, tt.cells)
			}
		})
	}
}

func TestBuildTotalsAndPeople(t *testing.T) {
	d := week(Everyone)
	// 8 comments, 6 of 7 answered (86%); times 10 20 45 60 120 300: the
	// median is the 3rd, the 90th percentile the 6th; tones .8 .2 .5 .1.
	if got := joined(Cells(d.Total)); got != "8 6 1 1 86% 45 300 4 0.40 50%" {
		t.Errorf("total %q", got)
	}
	if got := joined(BacklogCells(d.Backlog)); got != "4 1 1 2 0 0 0 1" {
		t.Errorf("backlog %q", got)
	}
	want := map[int64]string{0: "2 1 1 0 100% 120 120 2 0.35 50%", 5: "2 1 0 1 50% 60 60 1 0.80 100%", 7: "4 4 0 0 100% 20 300 1 0.10 0%"}
	if len(d.People) != 3 {
		t.Fatalf("people %+v", d.People)
	}
	for _, p := range d.People {
		if got := joined(Cells(p.Figures)); got != want[p.AssigneeID] {
			t.Errorf("assignee %d: %q, want %q", p.AssigneeID, got, want[p.AssigneeID])
		}
		if p.AssigneeID == 5 && joined(BacklogCells(p.Backlog)) != "3 1 0 2 0 0 0 1" {
			t.Errorf("assignee 5's backlog %v", p.Backlog)
		}
	}
}

func TestBuildOneAssignee(t *testing.T) {
	d := week(5)
	if got := joined(Cells(d.Total)); got != "2 1 0 1 50% 60 60 1 0.80 100%" {
		t.Errorf("total %q", got)
	}
	if got := joined(BacklogCells(d.Backlog)); got != "3 1 0 2 0 0 0 1" || d.People != nil {
		t.Errorf("backlog %q, people %v", got, d.People)
	}
}

func TestBuildNothing(t *testing.T) {
	d := Build(Query{Site: comment.Site{ID: 1}, Period: 30, Assignee: Everyone, Now: at("2026-11-23 10:00")}, nil, nil)
	if len(d.Days) != 30 || joined(Cells(d.Total)) != "0 0 0 0 _ _ _ 0 _ _" || d.Backlog.Total() != 0 || len(d.People) != 0 {
		t.Errorf("empty dashboard %+v", d)
	}
	if d.Days[0].Date.Format(time.DateOnly) != "2026-10-25" || d.Location() != time.UTC {
		t.Errorf("30 days in UTC start on %v", d.Days[0].Date)
	}
}

func TestWriteCSV(t *testing.T) {
	d := week(Everyone)
	d.AssigneeName = "All assignees"
	for i := range d.People {
		d.People[i].Name = map[int64]string{0: "Site assignees", 5: `=HYPERLINK("http://x")`, 7: "Ana, \"the\" editor"}[d.People[i].AssigneeID]
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\r\n")
	want := map[int]string{
		0: "date,author,comments,answered,no_reply_needed,open,share_answered,median_reply_minutes,p90_reply_minutes,scored,mean_negativity,share_negative," +
			"open_now,overdue_now,open_now_1h,open_now_4h,open_now_1d,open_now_3d,open_now_7d,open_now_older",
		1:  "2026-11-17,All assignees,4,2,1,1,67%,60,120,3,0.50,67%,,,,,,,,",
		2:  "2026-11-18,All assignees,0,0,0,0,,,,0,,,,,,,,,,",
		8:  "total,All assignees,8,6,1,1,86%,45,300,4,0.40,50%,4,1,1,2,0,0,0,1",
		24: `total,"'=HYPERLINK(""http://x"")",2,1,0,1,50%,60,60,1,0.80,100%,3,1,0,2,0,0,0,1`,
		25: `2026-11-17,"Ana, ""the"" editor",0,0,0,0,,,,0,,,,,,,,,,`,
	}
	for n, w := range want {
		if n >= len(lines) || lines[n] != w {
			t.Errorf("line %d:\n got %q\nwant %q", n, lines[min(n, len(lines)-1)], w)
		}
	}
	if len(lines) != 1+4*8+1 || lines[len(lines)-1] != "" {
		t.Errorf("%d lines:\n%s", len(lines), buf.String())
	}
}

func TestDefuse(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+x": "'+x", "-2": "'-2", "@SUM": "'@SUM", "\tx": "'\tx", "Ana": "Ana", "": ""} {
		if got := defuse(in); got != want {
			t.Errorf("defuse(%q) = %q, want %q", in, got, want)
		}
	}
}

// joined shows cells space-separated, "_" for an empty one.
func joined(cells []string) string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c
		if c == "" {
			out[i] = "_"
		}
	}
	return strings.Join(out, " ")
}
