package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// adminRoutes registers the admin panel's pages and form posts. Forms post
// and redirect back (so the panel works without JavaScript); the session's
// CSRF token travels in a hidden field.
func (s *Server) adminRoutes(g *echo.Group) {
	g.GET("/login", s.handleLoginPage)
	g.POST("/login", s.handleLoginForm)
	g.GET("/static/:file", s.handleAssetDir("admin/"))

	p := g.Group("", s.requireStaff(true))
	p.GET("/", s.handleInboxPage)
	p.GET("/inbox", s.handleInboxPage) // the digest's link
	p.GET("/comments", s.handleCommentsPage)
	p.GET("/comments/:id", s.handleCommentPage)
	p.GET("/posts", s.handlePostsPage)
	p.GET("/audit", s.handleAuditPage)
	p.GET("/settings", s.handleSettingsPage)
	p.GET("/alerts", s.handleAlertsPage)
	p.GET("/response", s.handleResponsePage)
	p.GET("/dashboard", s.handleDashboardPage)
	p.GET("/dashboard.csv", s.handleDashboardCSV)
	p.POST("/logout", s.handleLogoutForm)
	p.POST("/comments/:id/reply", s.handleReplyForm)
	p.POST("/comments/:id/edit", s.handleActionForm(actEdit))
	p.POST("/comments/:id/moderate", s.handleActionForm(actModerate))
	p.POST("/comments/:id/no-reply", s.handleActionForm(actNoReply))
	p.POST("/comments/:id/reopen", s.handleActionForm(actReopen))
	p.POST("/comments/:id/assign", s.handleActionForm(actAssign))
	p.POST("/comments/:id/purge", s.handlePurgeForm)
	p.POST("/settings/:name", s.handleSettingsForm)
	p.POST("/alerts", s.handleAlertsForm)
	p.POST("/token", s.handleTokenForm)
	p.GET("/import", s.handleImportPage)
	p.POST("/import", s.handleImportUpload)
	p.GET("/import/:id", s.handleImportJobPage)
	s.answerPages(p)
}

type loginPage struct {
	Email, Next string
}

func (s *Server) handleLoginPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "login", page{Title: "Sign in",
		Data: loginPage{Next: safeNext(c.QueryParam("next"))}})
}

func (s *Server) handleLoginForm(c echo.Context) error {
	email, next := c.FormValue("email"), safeNext(c.FormValue("next"))
	if _, _, err := s.login(c, email, c.FormValue("password")); err != nil {
		status := http.StatusForbidden
		if comment.CodeOf(err) == comment.RateLimited {
			status = http.StatusTooManyRequests
		} else if comment.CodeOf(err) == comment.Internal {
			return err
		}
		var ce *comment.Error
		msg := "Wrong email or password."
		if errors.As(err, &ce) {
			msg = ce.Message
			if ce.RetryAfter > 0 {
				c.Response().Header().Set("Retry-After", retryAfter(ce.RetryAfter))
			}
		}
		return s.render(c, status, "login", page{Title: "Sign in", Error: msg, Data: loginPage{Email: email, Next: next}})
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) handleLogoutForm(c echo.Context) error {
	if err := s.logout(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}

// back redirects to the page the form came from, saying what was done.
func back(c echo.Context, done string) error {
	ret := safeNext(c.FormValue("return"))
	sep := "?"
	if strings.Contains(ret, "?") {
		sep = "&"
	}
	// Drop an earlier confirmation so they do not pile up.
	if u, err := url.Parse(ret); err == nil {
		q := u.Query()
		q.Del("done")
		u.RawQuery = q.Encode()
		ret, sep = u.String(), "?"
		if u.RawQuery != "" {
			sep = "&"
		}
	}
	return c.Redirect(http.StatusSeeOther, ret+sep+"done="+url.QueryEscape(done))
}

// handleActionForm runs a staff action posted by a panel form, then goes
// back to the page the form was on.
func (s *Server) handleActionForm(act staffAction) echo.HandlerFunc {
	return func(c echo.Context) error {
		in := actionInput{Body: c.FormValue("body"), Action: c.FormValue("action"), Reason: c.FormValue("reason")}
		if v := c.FormValue("assignee_id"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id < 0 {
				return comment.FieldError("assignee_id", "Choose someone from the list.")
			}
			in.AssigneeID = id
		}
		if _, _, err := s.apply(c, act, in); err != nil {
			return err
		}
		done := act.done
		if done == "" {
			done = in.Action
		}
		return back(c, done)
	}
}

func (s *Server) handlePurgeForm(c echo.Context) error {
	if err := s.purge(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/comments?status=spam&done=purged")
}

func (s *Server) handleSettingsForm(c echo.Context) error {
	site, err := s.visibleSite(c, c.Param("name"))
	if err != nil {
		return err
	}
	title := c.FormValue("title")
	window, err := time.ParseDuration(strings.TrimSpace(c.FormValue("edit_window")))
	if err != nil {
		return comment.FieldError("edit_window", "The edit window must be a duration such as 15m.")
	}
	maxLinks, err := strconv.Atoi(strings.TrimSpace(c.FormValue("max_links")))
	if err != nil {
		return comment.FieldError("max_links", "The link limit must be a whole number.")
	}
	mode := comment.Moderation(c.FormValue("moderation"))
	origins := append([]string{}, strings.Fields(c.FormValue("origins"))...)
	blocklist := []string{}
	for _, line := range strings.Split(c.FormValue("blocklist"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			blocklist = append(blocklist, line)
		}
	}
	u := comment.SiteUpdate{Title: &title, Origins: origins, EditWindow: &window, Moderation: &mode,
		Blocklist: blocklist, MaxLinks: &maxLinks}
	// A form without the reply section (an older page) leaves it unchanged.
	if c.FormValue("reply_section") != "" {
		if err := s.replySettings(c, site, &u); err != nil {
			return err
		}
	}
	if u.AckTexts, err = s.ackForm(c); err != nil {
		return err
	}
	if _, err := s.svc.UpdateSiteSettings(c.Request().Context(), actor(c), site.ID, u); err != nil {
		return err
	}
	s.sitesChanged(c.Request().Context())
	return back(c, "settings")
}

// handleAlertsForm answers POST /admin/alerts.
func (s *Server) handleAlertsForm(c echo.Context) error {
	prefs := comment.AlertPrefs{TimeZone: c.FormValue("time_zone"), QuietHours: c.FormValue("quiet_hours"),
		Email: c.FormValue("email") != "", WebhookURL: c.FormValue("webhook_url"), WebhookFormat: c.FormValue("webhook_format")}
	if _, err := s.svc.SetAlertPrefs(c.Request().Context(), actor(c), prefs); err != nil {
		return err
	}
	return back(c, "alerts")
}

// handleTokenForm makes a new API token for the signed-in user and shows it
// once, on the settings page (never in an address).
func (s *Server) handleTokenForm(c echo.Context) error {
	token, err := s.staff.NewAPIToken(c.Request().Context(), currentUser(c).user.ID)
	if err != nil {
		return err
	}
	p, err := s.settingsPage(c, token)
	if err != nil {
		return err
	}
	p.Return = "/admin/settings"
	return s.render(c, http.StatusOK, "settings", p)
}

// settingsSite is one site's settings form.
type settingsSite struct {
	siteJSON
	Target   string // the reply target, as an owner would type it
	People   []comment.Assignable
	Assigned map[int64]bool
	Routes   string // "Author name = staff email" lines
	Acks     []ackSetting
}

type settingsPage struct {
	Token string // a new API token, shown once
	Sites []settingsSite
}

// settingsPage fills the settings page, its sites sorted by name.
func (s *Server) settingsPage(c echo.Context, token string) (page, error) {
	p := s.newPage(c, "Settings", "settings")
	data := settingsPage{Token: token}
	for _, site := range s.svc.Sites() {
		if !actor(c).CanSee(site.ID) {
			continue
		}
		ss, err := s.settingsSite(c, site)
		if err != nil {
			return page{}, err
		}
		data.Sites = append(data.Sites, ss)
	}
	slices.SortFunc(data.Sites, func(a, b settingsSite) int { return strings.Compare(a.Name, b.Name) })
	p.Data = data
	return p, nil
}

// handleSettingsPage answers GET /admin/settings.
func (s *Server) handleSettingsPage(c echo.Context) error {
	p, err := s.settingsPage(c, "")
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "settings", p)
}

// settingsSite fills a site's settings form. Empty business-time settings
// show the defaults in force.
func (s *Server) settingsSite(c echo.Context, site comment.Site) (settingsSite, error) {
	people, err := s.svc.Assignables(c.Request().Context(), actor(c), site.ID)
	if err != nil {
		return settingsSite{}, err
	}
	ss := settingsSite{siteJSON: newSiteJSON(site), Target: shortDuration(site.Target()),
		People: people, Assigned: map[int64]bool{}}
	ss.TimeZone = cmp.Or(site.TimeZone, comment.DefaultTimeZone)
	ss.Hours = cmp.Or(site.Hours, comment.DefaultHours)
	for _, id := range site.Assignees {
		ss.Assigned[id] = true
	}
	var routes strings.Builder
	for _, r := range site.Authors {
		// A route to someone who lost the site is dropped on the next save.
		if i := slices.IndexFunc(people, func(p comment.Assignable) bool { return p.ID == r.UserID }); i >= 0 {
			fmt.Fprintf(&routes, "%s = %s\n", r.Author, people[i].Email)
		}
	}
	ss.Routes = routes.String()
	ss.Acks = s.ackSettings(site)
	return ss, nil
}

// shortDuration writes 4h rather than 4h0m0s.
func shortDuration(d time.Duration) string {
	out := d.String()
	if strings.HasSuffix(out, "m0s") {
		out = out[:len(out)-2]
	}
	if strings.HasSuffix(out, "h0m") {
		out = out[:len(out)-2]
	}
	return out
}
