package web

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// handleMetrics answers GET /metrics in the Prometheus text format: reply
// times, the share answered within target and the open backlog per site.
// Labels carry site names and windows only, never a person. With a metrics
// token set, the scraper must send it as a bearer token.
func (s *Server) handleMetrics(c echo.Context) error {
	if s.metricsToken != "" {
		got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.metricsToken)) != 1 {
			return comment.Errorf(comment.Forbidden, "Send the metrics token as a bearer token.")
		}
	}
	reports, err := s.svc.ResponseReport(c.Request().Context(), comment.Actor{Owner: true})
	if err != nil {
		return err
	}
	var b strings.Builder
	metric := func(name, kind, help string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
	}
	each := func(f func(r comment.SiteReport, site string)) {
		for _, r := range reports {
			f(r, promLabel(r.Site.Name))
		}
	}
	windows := func(name, help string, v func(comment.ReplyStats) string) {
		metric(name, "gauge", help)
		each(func(r comment.SiteReport, site string) {
			for _, w := range r.Windows {
				fmt.Fprintf(&b, "%s{site=\"%s\",window=\"%dd\"} %s\n", name, site, int(w.Window/(24*time.Hour)), v(w))
			}
		})
	}
	metric("parley_reply_time_seconds", "gauge", "Business time to the first official reply, over comments posted in the window.")
	each(func(r comment.SiteReport, site string) {
		for _, w := range r.Windows {
			days := int(w.Window / (24 * time.Hour))
			fmt.Fprintf(&b, "parley_reply_time_seconds{site=\"%s\",window=\"%dd\",quantile=\"0.5\"} %d\n", site, days, int64(w.Median/time.Second))
			fmt.Fprintf(&b, "parley_reply_time_seconds{site=\"%s\",window=\"%dd\",quantile=\"0.9\"} %d\n", site, days, int64(w.P90/time.Second))
		}
	})
	windows("parley_comments_posted", "Reader comments posted in the window.", func(w comment.ReplyStats) string { return fmt.Sprint(w.Comments) })
	windows("parley_comments_answered", "Reader comments posted in the window that have an official reply.", func(w comment.ReplyStats) string { return fmt.Sprint(w.Answered) })
	windows("parley_reply_within_target_ratio", "Share of the comments due in the window that were answered within the reply target.",
		func(w comment.ReplyStats) string { return fmt.Sprintf("%.4f", w.ShareWithinTarget()) })
	metric("parley_reply_target_seconds", "gauge", "The site's reply target in business seconds.")
	each(func(r comment.SiteReport, site string) {
		fmt.Fprintf(&b, "parley_reply_target_seconds{site=\"%s\"} %d\n", site, int64(r.Site.Target()/time.Second))
	})
	metric("parley_backlog_comments", "gauge", "Shown reader comments still waiting for an official reply, by age.")
	each(func(r comment.SiteReport, site string) {
		for i, label := range comment.BacklogLabels {
			fmt.Fprintf(&b, "parley_backlog_comments{site=\"%s\",age=\"%s\"} %d\n", site, label, r.Backlog.Buckets[i])
		}
	})
	metric("parley_backlog_overdue_comments", "gauge", "Comments waiting past their reply deadline.")
	each(func(r comment.SiteReport, site string) {
		fmt.Fprintf(&b, "parley_backlog_overdue_comments{site=\"%s\"} %d\n", site, r.Backlog.Overdue)
	})
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", []byte(b.String()))
}

// promLabel escapes a label value (site names are [a-z0-9-], but be safe).
func promLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}
