package web

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/chart"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/report"
)

// dashboardQuery reads the dashboard's filters: site (a site the user may
// see; the first by name when absent), days (7, 30 or 90; 30 when absent)
// and author (an assignee's ID, 0 for the site's assignees in common;
// everyone when absent). It also returns who may be chosen.
func (s *Server) dashboardQuery(c echo.Context) (report.Query, []comment.Assignable, error) {
	q := report.Query{Period: 30, Assignee: report.Everyone, Now: s.clock()}
	name := c.QueryParam("site")
	if name == "" {
		sites := s.visibleSites(c)
		if len(sites) == 0 {
			return q, nil, comment.Errorf(comment.UnknownSite, "You have no sites yet.")
		}
		name = sites[0].Name
	}
	site, err := s.visibleSite(c, name)
	if err != nil {
		return q, nil, err
	}
	q.Site = site
	if v := c.QueryParam("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !slices.Contains(report.Periods[:], n) {
			return q, nil, comment.FieldError("days", "The period is 7, 30 or 90 days.")
		}
		q.Period = n
	}
	_, people, err := s.staffNames(c, site.ID)
	if err != nil {
		return q, nil, err
	}
	if v := c.QueryParam("author"); v != "" && v != "all" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || (id != 0 && !slices.ContainsFunc(people, func(p comment.Assignable) bool { return p.ID == id })) {
			return q, nil, comment.FieldError("author", "Choose an assignee from the list.")
		}
		q.Assignee = id
	}
	return q, people, nil
}

// visibleSites lists the sites the user may see, by name.
func (s *Server) visibleSites(c echo.Context) []comment.Site {
	var out []comment.Site
	for _, site := range s.svc.Sites() {
		if actor(c).CanSee(site.ID) {
			out = append(out, site)
		}
	}
	slices.SortFunc(out, func(a, b comment.Site) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// dashboard computes the dashboard the request asks for, with the names of
// its assignees.
func (s *Server) dashboard(c echo.Context) (report.Dashboard, []comment.Assignable, error) {
	q, people, err := s.dashboardQuery(c)
	if err != nil {
		return report.Dashboard{}, nil, err
	}
	facts, backlogs, err := s.svc.DashboardFacts(c.Request().Context(), actor(c), q.Site.ID, q.Since())
	if err != nil {
		return report.Dashboard{}, nil, err
	}
	d := report.Build(q, facts, backlogs)
	d.AssigneeName = "All assignees"
	if q.Assignee != report.Everyone {
		d.AssigneeName = assigneeName(q.Assignee, people)
	}
	for i := range d.People {
		d.People[i].Name = assigneeName(d.People[i].AssigneeID, people)
	}
	slices.SortStableFunc(d.People, func(a, b report.Person) int {
		return cmp.Or(cmp.Compare(min(a.AssigneeID, 1), min(b.AssigneeID, 1)), strings.Compare(a.Name, b.Name))
	})
	return d, people, nil
}

// assigneeName names an assignee as the panel does elsewhere.
func assigneeName(id int64, people []comment.Assignable) string {
	if id == 0 {
		return "Site assignees"
	}
	if i := slices.IndexFunc(people, func(p comment.Assignable) bool { return p.ID == id }); i >= 0 {
		return people[i].Name
	}
	return "Former staff"
}

// handleDashboardCSV answers GET /admin/dashboard.csv: the dashboard's
// figures, with the same filters, as CSV.
func (s *Server) handleDashboardCSV(c echo.Context) error {
	d, _, err := s.dashboard(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, d); err != nil {
		return fmt.Errorf("web: dashboard csv: %w", err)
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+csvName(d)+`"`)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// csvName is the export's file name: site names are lower-case letters,
// digits and dashes, so it needs no quoting.
func csvName(d report.Dashboard) string {
	name := fmt.Sprintf("parley-%s-%dd", d.Site.Name, d.Period)
	if d.Assignee != report.Everyone {
		name += fmt.Sprintf("-assignee-%d", d.Assignee)
	}
	return name + "-" + d.Now.In(d.Location()).Format(time.DateOnly) + ".csv"
}

// dayLabel is a day as the charts show it.
func dayLabel(t time.Time) string { return t.Format("Jan 2") }

// minutes is a reply time in minutes for the charts, NaN without replies.
func minutes(f report.Figures, d time.Duration) float64 {
	if f.Replies == 0 {
		return math.NaN()
	}
	return math.Round(d.Minutes())
}

// chartView is one chart of the page with its visible caption.
type chartView struct {
	Title string
	SVG   template.HTML
	Wide  bool
}

// dashboardCharts draws the dashboard's charts.
func dashboardCharts(d report.Dashboard) []chartView {
	n := len(d.Days)
	labels := make([]string, n)
	answered, notNeeded, open := make([]float64, n), make([]float64, n), make([]float64, n)
	share, median, p90 := make([]float64, n), make([]float64, n), make([]float64, n)
	tone, negative := make([]float64, n), make([]float64, n)
	for i, day := range d.Days {
		f := day.Figures
		labels[i] = dayLabel(day.Date)
		answered[i], notNeeded[i], open[i] = float64(f.Answered), float64(f.NotNeeded), float64(f.Open)
		share[i], tone[i], negative[i] = math.NaN(), math.NaN(), math.NaN()
		if v, ok := f.ShareAnswered(); ok {
			share[i] = math.Round(v * 100)
		}
		median[i], p90[i] = minutes(f, f.Median), minutes(f, f.P90)
		if v, ok := f.ShareNegative(); ok {
			tone[i], negative[i] = math.Round(f.MeanNegativity*100)/100, math.Round(v*100)/100
		}
	}
	period := fmt.Sprintf("the last %d days, by the day a comment was posted (%s)", d.Period, d.Location())
	none := "No comments in this period."
	charts := []chart.Chart{
		{ID: "chart-posted", Title: "Comments per day", Unit: chart.Count, Labels: labels, Empty: none,
			Desc:   "Reader comments posted each day in " + period + ", split into answered, no reply needed and still open.",
			Series: []chart.Series{{Name: "Answered", Values: answered}, {Name: "No reply needed", Values: notNeeded}, {Name: "Open", Values: open}}},
		{ID: "chart-share", Title: "Share answered", Unit: chart.Percent, Labels: labels, Empty: none,
			Desc:   "Share of the comments wanting a reply that staff answered, for " + period + ".",
			Series: []chart.Series{{Name: "Answered", Values: share}}},
		{ID: "chart-reply", Title: "Time to first reply", Unit: chart.Minutes, Labels: labels, Empty: "No replies in this period.",
			Desc:   "Median and 90th percentile of the business time to the first staff reply, for " + period + ".",
			Series: []chart.Series{{Name: "Median", Values: median}, {Name: "90th percentile", Values: p90}}},
		{ID: "chart-tone", Title: "Negativity", Unit: chart.Score, Labels: labels, Empty: "No scored comments in this period.",
			Desc:   fmt.Sprintf("Mean negativity (0 calm to 1 hostile) of the scored comments, and the share of them at %.1f or above, for %s.", report.NegativeAt, period),
			Series: []chart.Series{{Name: "Mean negativity", Values: tone}, {Name: "Share negative", Values: negative}}},
	}
	out := make([]chartView, 0, len(charts)+1)
	for i, ch := range charts {
		draw := chart.Line
		if i == 0 {
			draw = chart.Columns
		}
		// The chart package escapes every text it writes.
		out = append(out, chartView{Title: ch.Title, SVG: template.HTML(draw(ch))})
	}
	return append(out, chartView{Title: "Open comments by age, now", SVG: template.HTML(backlogChart(d.Backlog))})
}

func backlogChart(b comment.Backlog) string {
	counts := make([]float64, len(b.Buckets))
	for i, n := range b.Buckets {
		counts[i] = float64(n)
	}
	return chart.Bars(chart.Chart{ID: "chart-backlog", Title: "Open comments by age", Unit: chart.Count, Labels: backlogLabels(),
		Empty: "No open comments.", Desc: fmt.Sprintf("Comments waiting for a reply now, by age: %d in all, %d overdue.", b.Total(), b.Overdue),
		Series: []chart.Series{{Name: "Open", Values: counts}}})
}
