package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// clock is the server's clock (Config.Now), so that tests that move time
// see deadlines move too.
func (s *Server) clock() time.Time { return s.now() }

// span formats a reply time as "2h 05m" ("45m" under an hour).
func span(d time.Duration) string {
	d = d.Round(time.Minute)
	if d < time.Minute {
		return "< 1m"
	}
	if d < time.Hour {
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
}

// dueSpan formats the time to or past a deadline: "2h 10m", or "1d 3h"
// from a day on.
func dueSpan(d time.Duration) string {
	if d < 24*time.Hour {
		return span(d)
	}
	d = d.Round(time.Hour)
	return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}

// slaInfo is what the panel says about a comment's reply deadline.
type slaInfo struct {
	Open     bool   // a reader comment still waiting for an official reply
	Due      string // "due in 2h 10m" or "overdue by 1d 3h"
	Overdue  bool
	Assignee string // who should answer
	Took     string // the business time the first reply took
}

func newSLAInfo(c comment.Comment, names map[int64]string, now time.Time) slaInfo {
	in := slaInfo{Open: !c.Official && c.ReplyState == comment.ReplyOpen &&
		(c.Status == comment.StatusApproved || c.Status == comment.StatusPending)}
	in.Assignee = "Site assignees"
	if c.AssigneeID != 0 {
		in.Assignee = cmp.Or(names[c.AssigneeID], "Former staff")
	}
	switch {
	case in.Open && !c.DueAt.IsZero() && c.DueAt.After(now):
		in.Due = "due in " + dueSpan(c.DueAt.Sub(now))
	case in.Open && !c.DueAt.IsZero():
		in.Due, in.Overdue = "overdue by "+dueSpan(now.Sub(c.DueAt)), true
	}
	if c.ReplyState == comment.ReplyAnswered && !c.AnsweredAt.IsZero() {
		in.Took = span(c.ReplyTime)
	}
	return in
}

// staffNames maps the IDs of the people who may answer the sites' comments
// to their names.
func (s *Server) staffNames(c echo.Context, siteIDs ...int64) (map[int64]string, []comment.Assignable, error) {
	names := map[int64]string{}
	var all []comment.Assignable
	slices.Sort(siteIDs)
	for _, id := range slices.Compact(siteIDs) {
		people, err := s.svc.Assignables(c.Request().Context(), actor(c), id)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range people {
			names[p.ID] = p.Name
		}
		all = append(all, people...)
	}
	return names, all, nil
}

// withSLA adds the deadline and assignee of each listed comment.
func (s *Server) withSLA(c echo.Context, items []inboxItem) error {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.SiteID
	}
	names, _, err := s.staffNames(c, ids...)
	if err != nil {
		return err
	}
	now := s.clock()
	for i := range items {
		items[i].SLA = newSLAInfo(items[i].Comment, names, now)
	}
	return nil
}

// replySettings reads the form's reply target and business hours section.
func (s *Server) replySettings(c echo.Context, site comment.Site, u *comment.SiteUpdate) error {
	tz, hours, holidays := c.FormValue("time_zone"), c.FormValue("hours"), c.FormValue("holidays")
	target, err := time.ParseDuration(strings.TrimSpace(c.FormValue("reply_target")))
	if err != nil || target <= 0 {
		return comment.FieldError("reply_target", "The reply target must be a duration of business time such as 4h or 1h30m.")
	}
	u.TimeZone, u.Hours, u.Holidays, u.ReplyTarget = &tz, &hours, &holidays, &target
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	u.Assignees = []int64{}
	for _, v := range form["assignees"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return comment.FieldError("assignees", "Choose assignees from the list.")
		}
		u.Assignees = append(u.Assignees, id)
	}
	people, err := s.svc.Assignables(c.Request().Context(), actor(c), site.ID)
	if err != nil {
		return err
	}
	u.Authors, err = parseRoutes(c.FormValue("authors"), people)
	return err
}

// parseRoutes reads "Author name = staff email" lines.
func parseRoutes(text string, people []comment.Assignable) ([]comment.AuthorRoute, error) {
	routes := []comment.AuthorRoute{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// Split at the last "=": a name is likelier to hold one than an email.
		k := strings.LastIndex(line, "=")
		author, email := strings.TrimSpace(line[:max(k, 0)]), strings.TrimSpace(line[k+1:])
		if k < 0 || author == "" || email == "" {
			return nil, comment.FieldError("authors", "Author routes, line %d: write \"Author name = staff email\".", n+1)
		}
		i := slices.IndexFunc(people, func(p comment.Assignable) bool { return strings.EqualFold(p.Email, email) })
		if i < 0 {
			return nil, comment.FieldError("authors", "Author routes, line %d: nobody who may answer this site has the email %q.", n+1, email)
		}
		routes = append(routes, comment.AuthorRoute{Author: author, UserID: people[i].ID})
	}
	return routes, nil
}

// alertRow is one alert about a comment, with its recipient's name.
type alertRow struct {
	comment.Notification
	Label     string
	Recipient string
}

// alertLabels name the alert kinds for people.
var alertLabels = map[comment.AlertKind]string{comment.AlertNew: "New comment", comment.AlertReminder: "Reminder",
	comment.AlertEscalation: "Escalation", comment.AlertDigest: "Daily digest"}

// commentSLA is the comment page's deadline, assignment and alerts.
type commentSLA struct {
	SLA    slaInfo
	People []comment.Assignable
	Alerts []alertRow
}

func (s *Server) commentSLA(c echo.Context, cm comment.Comment) (commentSLA, error) {
	names, people, err := s.staffNames(c, cm.SiteID)
	if err != nil {
		return commentSLA{}, err
	}
	out := commentSLA{SLA: newSLAInfo(cm, names, s.clock()), People: people}
	if cm.Official {
		return out, nil
	}
	ns, err := s.svc.CommentAlerts(c.Request().Context(), actor(c), cm.ID)
	if err != nil {
		return commentSLA{}, err
	}
	for _, n := range ns {
		who := names[n.UserID]
		if who == "" {
			who = fmt.Sprintf("Former staff (#%d)", n.UserID)
		}
		out.Alerts = append(out.Alerts, alertRow{n, cmp.Or(alertLabels[n.Kind], string(n.Kind)), who})
	}
	return out, nil
}

// handleAlertsPage answers GET /admin/alerts: how I am alerted.
func (s *Server) handleAlertsPage(c echo.Context) error {
	prefs, err := s.svc.AlertPrefs(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	if prefs.TimeZone == "" {
		prefs.TimeZone = comment.DefaultTimeZone
	}
	if prefs.WebhookFormat == "" {
		prefs.WebhookFormat = "json"
	}
	p := s.newPage(c, "My alerts", "alerts")
	p.Data = prefs
	return s.render(c, http.StatusOK, "alerts", p)
}

// statsRow is one line of response figures, formatted.
type statsRow struct {
	Period             string
	Comments, Answered int
	Due, WithinTarget  int
	Share              string // "83%", or "–" when nothing was due
	Median, P90        string
}

func newStatsRows(ws []comment.ReplyStats) []statsRow {
	out := make([]statsRow, len(ws))
	for i, w := range ws {
		r := statsRow{Period: fmt.Sprintf("Last %d days", int(w.Window/(24*time.Hour))), Comments: w.Comments,
			Answered: w.Answered, Due: w.Due, WithinTarget: w.WithinTarget, Share: "–", Median: "–", P90: "–"}
		if w.Due > 0 {
			r.Share = fmt.Sprintf("%.0f%%", 100*w.ShareWithinTarget())
		}
		if w.Answered > 0 {
			r.Median, r.P90 = span(w.Median), span(w.P90)
		}
		out[i] = r
	}
	return out
}

// responseSite is one site's section of the response page.
type responseSite struct {
	Name, Title, Target string
	Windows             []statsRow
	People              []responsePerson
	Backlog             []backlogCell
	Overdue, Open       int
}

type responsePerson struct {
	Name string
	Rows []statsRow
}

type backlogCell struct {
	Label string
	Count int
}

// backlogLabels names the age buckets as ranges: "< 1h", "1h–4h", … "> 7d".
func backlogLabels() []string {
	ls := comment.BacklogLabels
	out := make([]string, len(ls))
	for i := range ls {
		switch {
		case i == 0:
			out[i] = "< " + ls[0]
		case i == len(ls)-1:
			out[i] = "> " + ls[i-1]
		default:
			out[i] = ls[i-1] + "–" + ls[i]
		}
	}
	return out
}

func newResponseSite(r comment.SiteReport) responseSite {
	out := responseSite{Name: r.Site.Name, Title: r.Site.Title, Target: shortDuration(r.Site.Target()), Windows: newStatsRows(r.Windows),
		Overdue: r.Backlog.Overdue, Open: r.Backlog.Total()}
	for _, a := range r.ByAssignee {
		out.People = append(out.People, responsePerson{a.Name, newStatsRows(a.Windows)})
	}
	for i, label := range backlogLabels() {
		out.Backlog = append(out.Backlog, backlogCell{label, r.Backlog.Buckets[i]})
	}
	return out
}

// handleResponsePage answers GET /admin/response: response times and
// backlog of the sites the user may see.
func (s *Server) handleResponsePage(c echo.Context) error {
	reports, err := s.svc.ResponseReport(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	slices.SortFunc(reports, func(a, b comment.SiteReport) int { return strings.Compare(a.Site.Name, b.Site.Name) })
	sites := make([]responseSite, len(reports))
	for i, r := range reports {
		sites[i] = newResponseSite(r)
	}
	p := s.newPage(c, "Response times", "response")
	p.Data = sites
	return s.render(c, http.StatusOK, "response", p)
}
