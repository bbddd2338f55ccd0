package comment

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	h := time.Hour
	tests := []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"none", nil, 0.5, 0},
		{"one", []time.Duration{3 * h}, 0.9, 3 * h},
		{"median of odd", []time.Duration{5 * h, 1 * h, 3 * h}, 0.5, 3 * h},
		{"median of even takes the lower", []time.Duration{4 * h, 1 * h, 2 * h, 3 * h}, 0.5, 2 * h},
		{"p90 of ten", []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9},
		{"p90 of eleven", []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 0.9, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.in, tt.p); got != tt.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tt.in, tt.p, got, tt.want)
			}
		})
	}
}

func TestReplyStats(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	site := Site{ReplyTarget: 4 * time.Hour}
	day := 24 * time.Hour
	facts := []ReplyFact{
		{CreatedAt: now.Add(-2 * day), State: ReplyAnswered, AnsweredAt: now.Add(-day), ReplyTime: 2 * time.Hour},
		{CreatedAt: now.Add(-3 * day), State: ReplyAnswered, AnsweredAt: now.Add(-day), ReplyTime: 6 * time.Hour},
		{CreatedAt: now.Add(-1 * day), State: ReplyOpen, DueAt: now.Add(-time.Hour)},      // overdue
		{CreatedAt: now.Add(-time.Hour), State: ReplyOpen, DueAt: now.Add(3 * time.Hour)}, // not due yet
		{CreatedAt: now.Add(-time.Hour), State: ReplyNotNeeded},                           // left out
		{CreatedAt: now.Add(-20 * day), State: ReplyAnswered, AnsweredAt: now.Add(-19 * day), ReplyTime: time.Hour},
	}
	got := replyStats(site, facts, now.Add(-7*day), now)
	want := ReplyStats{Comments: 4, Answered: 2, Due: 3, WithinTarget: 1, Median: 2 * time.Hour, P90: 6 * time.Hour}
	if got != want {
		t.Errorf("7 days: %+v, want %+v", got, want)
	}
	if share := got.ShareWithinTarget(); share < 0.333 || share > 0.334 {
		t.Errorf("share = %v, want 1/3", share)
	}
	month := replyStats(site, facts, now.Add(-30*day), now)
	if month.Comments != 5 || month.Answered != 3 || month.WithinTarget != 2 || month.Median != 2*time.Hour {
		t.Errorf("30 days: %+v", month)
	}
}

func TestRouteAuthor(t *testing.T) {
	site := Site{Authors: []AuthorRoute{{Author: "Jana Nováková", UserID: 7}, {Author: "ΕΛΕΝΗ", UserID: 8}}}
	tests := []struct {
		name string
		in   string
		want int64
	}{
		{"exact", "Jana Nováková", 7},
		{"case and spaces", "  jana NOVÁKOVÁ ", 7},
		{"greek case", "ελενη", 8},
		{"unknown", "Someone", 0},
		{"empty", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := routeAuthor(site, tt.in); got != tt.want {
				t.Errorf("routeAuthor(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}
