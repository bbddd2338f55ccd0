package web_test

import (
	"encoding/csv"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/chart"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
)

// hostileName is a staff member's name that is both markup and a formula.
const hostileName = `=HYPERLINK("http://x") <b>Bo</b>`

// dashFixture is a week of the blog in New York time (UTC-5): Ana and a
// colleague with a hostile name answer it; Cy is staff of the other site.
type dashFixture struct {
	h                *harness
	ana, cy          *staffClient
	anaID, hostileID int64
}

func newDashFixture(t *testing.T, h *harness) *dashFixture {
	ctx := t.Context()
	site, err := h.svc.Site("blog")
	if err != nil {
		t.Fatal(err)
	}
	tz := "America/New_York"
	if _, err := h.svc.UpdateSiteSettings(ctx, comment.Actor{Owner: true}, site.ID, comment.SiteUpdate{TimeZone: &tz}); err != nil {
		t.Fatal(err)
	}
	f := &dashFixture{h: h}
	ana := h.addUser("ana@acme.example", staff.RoleStaff, "blog")
	f.ana, f.anaID = h.signIn(ana), ana.ID
	f.cy = h.signIn(h.addUser("cy@acme.example", staff.RoleStaff, "other"))
	bad, err := h.staff.CreateUser(ctx, "bo@acme.example", hostileName, staff.RoleStaff, testPassword, []int64{site.ID})
	if err != nil {
		t.Fatal(err)
	}
	f.hostileID = bad.ID
	th, err := h.st.EnsureThread(ctx, comment.Thread{SiteID: site.ID, Path: "/post/"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(at string, assignee int64, state comment.ReplyState, took time.Duration, tone float64, due string) {
		t.Helper()
		c := comment.Comment{ThreadID: th.ID, SiteID: site.ID, Body: "q", HTML: "<p>q</p>", Status: comment.StatusApproved,
			CreatedAt: mustTime(t, at), AssigneeID: assignee, ReplyState: state, Negativity: tone}
		if state == comment.ReplyAnswered {
			c.AnsweredAt, c.ReplyTime = c.CreatedAt.Add(took), took
		}
		if due != "" {
			c.DueAt = mustTime(t, due)
		}
		if _, err := h.st.CreateComment(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	add("2026-11-17 03:00", f.anaID, comment.ReplyOpen, 0, 0.3, "")                       // 16 Nov in New York: before the week
	add("2026-11-17 06:00", f.anaID, comment.ReplyAnswered, 125*time.Minute, 0.7, "")     // 17 Nov, 01:00
	add("2026-11-18 15:00", 0, comment.ReplyOpen, 0, 0.2, "2026-11-18 19:00")             // overdue
	add("2026-11-18 16:00", f.hostileID, comment.ReplyNotNeeded, 0, 0.1, "")              //
	add("2026-11-20 12:00", f.hostileID, comment.ReplyAnswered, 30*time.Minute, 0.55, "") //
	add("2026-11-23 08:30", f.anaID, comment.ReplyOpen, 0, 0.9, "2026-11-23 13:00")       // today, 03:30
	h.mustPost("other", map[string]any{"url": "/p/", "body": "another site's comment"})
	return f
}

func mustTime(t testing.TB, s string) time.Time {
	v, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// get fetches a panel address with the given Accept header.
func (sc *staffClient) get(path, accept string) response {
	sc.h.t.Helper()
	return sc.h.do("GET", path, nil, "Cookie", "parley_session="+sc.cookie, "Accept", accept)
}

var (
	dayRowRE   = regexp.MustCompile(`<tr><th scope="row" class="adm-stack-title"><time datetime="([0-9-]+)">[^<]*</time></th>(.*?)</tr>`)
	totalRowRE = regexp.MustCompile(`<tbody class="adm-total"><tr><th scope="row" class="adm-stack-title">Total</th>(.*?)</tr>`)
	personRE   = regexp.MustCompile(`<tr><th scope="row" class="adm-stack-title">([^<]*)</th>(.*?)</tr>`)
	cellRE     = regexp.MustCompile(`<td class="adm-num" data-label="[^"]*">([^<]*)</td>`)
	kpiRE      = regexp.MustCompile(`<dt>([^<]*)</dt><dd class="adm-kpi">([^<]*)</dd><dd class="adm-muted">([^<]*)</dd>`)
)

// cells are a table row's figures, "" for a dash.
func cells(row string) []string {
	var out []string
	for _, m := range cellRE.FindAllStringSubmatch(row, -1) {
		out = append(out, strings.TrimPrefix(html.UnescapeString(m[1]), "–"))
	}
	return out
}

// csvRows reads the export into rows keyed by date and author.
func csvRows(t *testing.T, body []byte) (header []string, rows map[[2]string][]string) {
	all, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(all) < 2 {
		t.Fatalf("csv: %v\n%s", err, body)
	}
	rows = map[[2]string][]string{}
	for _, r := range all[1:] {
		rows[[2]string{r[0], r[1]}] = r
	}
	return all[0], rows
}

// TestDashboardMatchesCSV renders the dashboard and its CSV for the same
// week and checks every figure the page shows against the CSV, and a few
// against hand-computed values.
func TestDashboardMatchesCSV(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		f := newDashFixture(t, h)
		page := f.ana.page("/admin/dashboard?site=blog&days=7")
		r := f.ana.get("/admin/dashboard.csv?site=blog&days=7", "text/csv")
		if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			r.header.Get("Content-Disposition") != `attachment; filename="parley-blog-7d-2026-11-23.csv"` {
			t.Fatalf("csv: %d %v", r.status, r.header)
		}
		if !strings.Contains(string(r.body), "\r\n") {
			t.Error("the CSV's lines do not end in CRLF")
		}
		header, rows := csvRows(t, r.body)
		col := func(name string) int { return slices.Index(header, name) }

		days := dayRowRE.FindAllStringSubmatch(page, -1)
		if len(days) != 7 || days[0][1] != "2026-11-17" || days[6][1] != "2026-11-23" {
			t.Fatalf("day rows %d from %v", len(days), days)
		}
		for _, d := range days {
			want := rows[[2]string{d[1], "All assignees"}]
			if got := cells(d[2]); want == nil || !slices.Equal(got, want[2:12]) {
				t.Errorf("%s: page %q, csv %q", d[1], got, want)
			}
		}
		total := rows[[2]string{"total", "All assignees"}]
		m := totalRowRE.FindStringSubmatch(page)
		if m == nil || !slices.Equal(cells(m[1]), total[2:12]) {
			t.Errorf("total: page %v, csv %q", m, total)
		}
		// By hand: 5 comments in the week, 2 of the 4 wanting a reply
		// answered (30 and 125 min), tones .7 .2 .1 .55 .9; open now the
		// one of today (under an hour), and two of 3-7 days (one from
		// before the week), one of them overdue.
		if got := strings.Join(total[2:], " "); got != "5 2 1 2 50% 30 125 5 0.49 60% 3 1 1 0 0 0 2 0" {
			t.Errorf("total row %q", got)
		}
		if got := strings.Join(rows[[2]string{"2026-11-17", "All assignees"}][2:12], " "); got != "1 1 0 0 100% 125 125 1 0.70 100%" {
			t.Errorf("17 Nov (01:00 in New York) %q", got)
		}

		kpis := map[string]string{}
		for _, k := range kpiRE.FindAllStringSubmatch(page, -1) {
			kpis[html.UnescapeString(k[1])] = html.UnescapeString(k[2]) + " | " + html.UnescapeString(k[3])
		}
		median, _ := strconv.Atoi(total[col("median_reply_minutes")])
		p90, _ := strconv.Atoi(total[col("p90_reply_minutes")])
		for label, want := range map[string]string{
			"Comments":        total[col("comments")] + " | 4 wanted a reply",
			"Answered":        total[col("share_answered")] + " | " + total[col("answered")] + " of 4",
			"Median reply":    chart.Format(float64(median), chart.Minutes) + " | business time",
			"90th pct. reply": chart.Format(float64(p90), chart.Minutes) + " | business time",
			"Open now":        total[col("open_now")] + " | " + total[col("overdue_now")] + " overdue",
			"Negativity":      total[col("mean_negativity")] + " | mean; " + total[col("share_negative")] + " negative",
		} {
			if kpis[label] != want {
				t.Errorf("summary %s = %q, csv says %q", label, kpis[label], want)
			}
		}

		people := 0
		for _, p := range personRE.FindAllStringSubmatch(page, -1) {
			name := html.UnescapeString(p[1])
			if name == "Total" {
				continue
			}
			people++
			key := name
			if strings.HasPrefix(name, "=") {
				key = "'" + name
			}
			want := rows[[2]string{"total", key}]
			if want == nil {
				t.Errorf("no CSV rows for %q", name)
				continue
			}
			var figures []string
			for _, k := range []string{"comments", "answered", "share_answered", "median_reply_minutes", "p90_reply_minutes",
				"mean_negativity", "share_negative", "open_now", "overdue_now"} {
				figures = append(figures, want[col(k)])
			}
			if got := cells(p[2]); !slices.Equal(got, figures) {
				t.Errorf("%s: page %q, csv %q", name, got, figures)
			}
		}
		if people != 3 {
			t.Errorf("%d assignees on the page, want Site assignees, Ana and the hostile one", people)
		}

		// The charts draw the same figures: each day's column names them.
		for _, d := range days {
			row := rows[[2]string{d[1], "All assignees"}]
			day, _ := time.Parse(time.DateOnly, d[1])
			title := day.Format("Jan 2") + "&#10;Answered: " + row[col("answered")] + "&#10;No reply needed: " +
				row[col("no_reply_needed")] + "&#10;Open: " + row[col("open")] + "</title>"
			if !strings.Contains(page, title) {
				t.Errorf("the column of %s lacks %q", d[1], title)
			}
		}
		if !strings.Contains(page, "America/New_York") {
			t.Error("the page does not say which time zone its days are in")
		}
	})
}

func TestDashboardHostileNames(t *testing.T) {
	f := newDashFixture(t, newHarness(t))
	page := f.ana.page("/admin/dashboard?site=blog")
	if strings.Contains(page, "<b>Bo</b>") || !strings.Contains(page, "&lt;b&gt;Bo&lt;/b&gt;") {
		t.Error("a staff name's markup reached the page unescaped")
	}
	body := string(f.ana.get("/admin/dashboard.csv?site=blog", "text/csv").body)
	if !strings.Contains(body, `"'=HYPERLINK(""http://x"") <b>Bo</b>"`) || strings.Contains(body, "\n=") || strings.Contains(body, ",=") {
		t.Errorf("the CSV does not defuse the formula:\n%s", body)
	}
}

func TestDashboardFilters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		f := newDashFixture(t, h)
		id := strconv.FormatInt(f.anaID, 10)
		page := f.ana.page("/admin/dashboard?site=blog&days=7&author=" + id)
		total := totalRowRE.FindStringSubmatch(page)
		if total == nil || strings.Join(cells(total[1]), " ") != "2 1 0 1 50% 125 125 2 0.80 100%" {
			t.Errorf("Ana's week: %v", total)
		}
		if strings.Contains(page, "By assignee") {
			t.Error("a one-assignee dashboard lists assignees")
		}
		r := f.ana.get("/admin/dashboard.csv?site=blog&days=7&author="+id, "text/csv")
		if !strings.Contains(r.header.Get("Content-Disposition"), "parley-blog-7d-assignee-"+id+"-2026-11-23.csv") {
			t.Errorf("file name %q", r.header.Get("Content-Disposition"))
		}
		_, rows := csvRows(t, r.body)
		if rows[[2]string{"total", "ana"}] == nil {
			t.Errorf("csv rows %v", rows)
		}
		if len(rows) != 8 {
			t.Errorf("%d rows for one assignee's week, want 7 days and the total", len(rows))
		}
		if n := len(dayRowRE.FindAllString(f.ana.page("/admin/dashboard?site=blog&days=90"), -1)); n != 90 {
			t.Errorf("90 days show %d rows", n)
		}
		if n := len(dayRowRE.FindAllString(f.ana.page("/admin/dashboard"), -1)); n != 30 {
			t.Errorf("the default period shows %d days", n)
		}
	})
}

func TestDashboardRefuses(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		f := newDashFixture(t, h)
		tests := []struct {
			name   string
			who    *staffClient
			path   string
			status int
			code   string
		}{
			{"another site's page", f.cy, "/admin/dashboard?site=blog", 404, "unknown_site"},
			{"another site's CSV", f.cy, "/admin/dashboard.csv?site=blog", 404, "unknown_site"},
			{"no such site", f.ana, "/admin/dashboard?site=nope", 404, "unknown_site"},
			{"a period not offered", f.ana, "/admin/dashboard?site=blog&days=14", 422, "invalid"},
			{"a period that is no number", f.ana, "/admin/dashboard.csv?days=week", 422, "invalid"},
			{"an author that is no number", f.ana, "/admin/dashboard?author=ana", 422, "invalid"},
			{"someone who does not answer the site", f.ana, "/admin/dashboard.csv?author=99999", 422, "invalid"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := tt.who.get(tt.path, "application/json")
				if r.status != tt.status || r.code() != tt.code {
					t.Errorf("JSON: %d %s", r.status, r.body)
				}
				page := tt.who.get(tt.path, "text/html")
				if page.status != tt.status || !strings.Contains(string(page.body), `class="adm-error"`) {
					t.Errorf("HTML: %d %.300s", page.status, page.body)
				}
				if strings.Contains(string(page.body), "0.70") || strings.Contains(string(r.body), "0.70") {
					t.Error("the refusal shows figures")
				}
			})
		}
		if r := h.do("GET", "/admin/dashboard.csv?site=blog", nil); r.status != 401 && r.status != 303 && r.status != 302 {
			t.Errorf("without a session: %d", r.status)
		}
		// Cy's own dashboard is the other site's, and lists only it.
		page := f.cy.page("/admin/dashboard")
		if !strings.Contains(page, `<option value="other" selected>`) || strings.Contains(page, `value="blog"`) {
			t.Errorf("Cy's site filter: %s", regexp.MustCompile(`<select id="d-site".*?</select>`).FindString(page))
		}
	})
}
