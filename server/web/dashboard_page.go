package web

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/chart"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/report"
)

// dashboardPage is what admin/dashboard.html shows.
type dashboardPage struct {
	Sites             []option
	Periods           []option
	Authors           []option
	SiteTitle         string
	AssigneeName      string
	TimeZone, Range   string
	Summary           []summaryCard
	Charts            []chartView
	Columns           []string
	PeopleColumns     []string
	Days              []dayRow
	Total             []string
	People            []personRow
	CSV, ResponseLink string
	Open, Overdue     int
}

// option is one choice of a filter.
type option struct {
	Value, Label string
	Selected     bool
}

// summaryCard is one figure above the charts.
type summaryCard struct {
	Label, Value, Note string
}

type dayRow struct {
	Date, Label string
	Cells       []string
}

type personRow struct {
	Name          string
	Cells         []string
	Open, Overdue int
}

// handleDashboardPage answers GET /admin/dashboard: the response dashboard
// of one site, optionally of one assignee, over 7, 30 or 90 days.
func (s *Server) handleDashboardPage(c echo.Context) error {
	p := s.newPage(c, "Dashboard", "dashboard")
	if len(s.visibleSites(c)) == 0 {
		p.Data = dashboardPage{}
		return s.render(c, http.StatusOK, "dashboard", p)
	}
	d, people, err := s.dashboard(c)
	if err != nil {
		return err
	}
	p.Data = newDashboardPage(d, s.visibleSites(c), people)
	return s.render(c, http.StatusOK, "dashboard", p)
}

func newDashboardPage(d report.Dashboard, sites []comment.Site, people []comment.Assignable) dashboardPage {
	loc := d.Location()
	first, last := d.Days[0].Date, d.Days[len(d.Days)-1].Date
	out := dashboardPage{SiteTitle: cmp.Or(d.Site.Title, d.Site.Name), AssigneeName: d.AssigneeName,
		TimeZone: loc.String(), Range: first.Format("Mon 2 Jan") + " – " + last.Format("Mon 2 Jan 2006"),
		Summary: summary(d), Charts: dashboardCharts(d), Total: report.Cells(d.Total),
		CSV: "/admin/dashboard.csv?" + dashboardParams(d).Encode(), Open: d.Backlog.Total(), Overdue: d.Backlog.Overdue,
		ResponseLink: "/admin/response"}
	for _, site := range sites {
		out.Sites = append(out.Sites, option{site.Name, cmp.Or(site.Title, site.Name), site.ID == d.Site.ID})
	}
	for _, n := range report.Periods {
		out.Periods = append(out.Periods, option{strconv.Itoa(n), "Last " + strconv.Itoa(n) + " days", n == d.Period})
	}
	out.Authors = []option{{"", "All assignees", d.Assignee == report.Everyone}, {"0", "Site assignees (no route)", d.Assignee == 0}}
	for _, p := range people {
		out.Authors = append(out.Authors, option{strconv.FormatInt(p.ID, 10), p.Name, d.Assignee == p.ID})
	}
	for _, c := range report.Columns {
		out.Columns = append(out.Columns, c.Label)
	}
	for _, day := range d.Days {
		out.Days = append(out.Days, dayRow{day.Date.Format(time.DateOnly), day.Date.Format("Mon 2 Jan"), report.Cells(day.Figures)})
	}
	for _, i := range personColumns {
		out.PeopleColumns = append(out.PeopleColumns, report.Columns[i].Label)
	}
	for _, p := range d.People {
		cells := report.Cells(p.Figures)
		row := personRow{Name: p.Name, Open: p.Backlog.Total(), Overdue: p.Backlog.Overdue}
		for _, i := range personColumns {
			row.Cells = append(row.Cells, cells[i])
		}
		out.People = append(out.People, row)
	}
	return out
}

// personColumns are the figures of report.Columns the assignee table shows
// (the CSV has them all): comments, answered, share answered, median and
// 90th percentile, mean negativity and share negative.
var personColumns = [...]int{0, 1, 4, 5, 6, 8, 9}

// dashboardParams are the filters of d, as the CSV link repeats them.
func dashboardParams(d report.Dashboard) url.Values {
	v := url.Values{"site": {d.Site.Name}, "days": {strconv.Itoa(d.Period)}}
	if d.Assignee != report.Everyone {
		v.Set("author", strconv.FormatInt(d.Assignee, 10))
	}
	return v
}

// summary is the row of figures above the charts: those of the total row,
// with reply times in hours and minutes.
func summary(d report.Dashboard) []summaryCard {
	t := d.Total
	cells := report.Cells(t)
	out := []summaryCard{
		{"Comments", cells[0], strconv.Itoa(t.NeedReply()) + " wanted a reply"},
		{"Answered", dash(cells[4]), cells[1] + " of " + strconv.Itoa(t.NeedReply())},
		{"Median reply", "–", "business time"},
		{"90th pct. reply", "–", "business time"},
		{"Open now", strconv.Itoa(d.Backlog.Total()), strconv.Itoa(d.Backlog.Overdue) + " overdue"},
		{"Negativity", dash(cells[8]), "mean; " + dash(cells[9]) + " negative"},
	}
	if t.Replies > 0 {
		out[2].Value, out[3].Value = chart.Format(t.Median.Round(time.Minute).Minutes(), chart.Minutes),
			chart.Format(t.P90.Round(time.Minute).Minutes(), chart.Minutes)
	}
	return out
}

// dash shows a figure that does not exist as a dash.
func dash(s string) string { return cmp.Or(s, "–") }
