package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

type notificationJSON struct {
	ID            int64                      `json:"id"`
	Kind          comment.AlertKind          `json:"kind"`
	Channel       comment.Channel            `json:"channel"`
	UserID        int64                      `json:"user_id"`
	Status        comment.NotificationStatus `json:"status"`
	Attempts      int                        `json:"attempts"`
	NextAttemptAt *time.Time                 `json:"next_attempt_at"`
	LastError     string                     `json:"last_error,omitempty"`
	CreatedAt     time.Time                  `json:"created_at"`
	SentAt        *time.Time                 `json:"sent_at"`
}

func newNotificationJSON(n comment.Notification) notificationJSON {
	j := notificationJSON{ID: n.ID, Kind: n.Kind, Channel: n.Channel, UserID: n.UserID, Status: n.Status,
		Attempts: n.Attempts, LastError: n.LastError, CreatedAt: n.CreatedAt.UTC(), SentAt: optTime(n.SentAt)}
	if n.Status == comment.NotificationPending {
		j.NextAttemptAt = optTime(n.NextAttemptAt)
	}
	return j
}

// handleCommentAlerts answers GET /api/v1/admin/comments/:id/alerts: the
// alerts about a comment, newest first.
func (s *Server) handleCommentAlerts(c echo.Context) error {
	id, err := commentID(c)
	if err != nil {
		return err
	}
	ns, err := s.svc.CommentAlerts(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	out := make([]notificationJSON, len(ns))
	for i, n := range ns {
		out[i] = newNotificationJSON(n)
	}
	return c.JSON(http.StatusOK, map[string]any{"alerts": out})
}

type assignableJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Owner bool   `json:"owner"`
}

// handleAssignables answers GET /api/v1/admin/sites/:name/assignables: who
// may answer the site's comments.
func (s *Server) handleAssignables(c echo.Context) error {
	site, err := s.visibleSite(c, c.Param("name"))
	if err != nil {
		return err
	}
	people, err := s.svc.Assignables(c.Request().Context(), actor(c), site.ID)
	if err != nil {
		return err
	}
	out := make([]assignableJSON, len(people))
	for i, p := range people {
		out[i] = assignableJSON{ID: p.ID, Name: p.Name, Owner: p.Owner}
	}
	return c.JSON(http.StatusOK, map[string]any{"assignables": out})
}

// alertPrefsJSON is how a staff member is alerted. The webhook secret is
// shown to its owner, who needs it to check signatures.
type alertPrefsJSON struct {
	TimeZone      string `json:"time_zone"`
	QuietHours    string `json:"quiet_hours"`
	Email         bool   `json:"email"`
	WebhookURL    string `json:"webhook_url"`
	WebhookFormat string `json:"webhook_format"`
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

// handleAlertPrefsGet answers GET /api/v1/admin/me/alerts.
func (s *Server) handleAlertPrefsGet(c echo.Context) error {
	p, err := s.svc.AlertPrefs(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"alerts": alertPrefsJSON(p)})
}

// handleAlertPrefsPut answers PUT /api/v1/admin/me/alerts.
func (s *Server) handleAlertPrefsPut(c echo.Context) error {
	var req alertPrefsJSON
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := s.svc.SetAlertPrefs(c.Request().Context(), actor(c), comment.AlertPrefs(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"alerts": alertPrefsJSON(p)})
}

type replyStatsJSON struct {
	Days              int     `json:"days"`
	Comments          int     `json:"comments"`
	Answered          int     `json:"answered"`
	Due               int     `json:"due"`
	WithinTarget      int     `json:"within_target"`
	ShareWithinTarget float64 `json:"share_within_target"`
	MedianSeconds     int64   `json:"median_seconds"`
	P90Seconds        int64   `json:"p90_seconds"`
}

type siteReportJSON struct {
	Site           string           `json:"site"`
	ReplyTarget    string           `json:"reply_target"`
	Windows        []replyStatsJSON `json:"windows"`
	ByAssignee     []assigneeJSON   `json:"by_assignee"`
	Backlog        map[string]int   `json:"backlog"`
	BacklogOverdue int              `json:"backlog_overdue"`
	BacklogTotal   int              `json:"backlog_total"`
}

type assigneeJSON struct {
	AssigneeID int64            `json:"assignee_id"`
	Name       string           `json:"name"`
	Windows    []replyStatsJSON `json:"windows"`
}

func newReplyStatsJSON(ws []comment.ReplyStats) []replyStatsJSON {
	out := make([]replyStatsJSON, len(ws))
	for i, w := range ws {
		out[i] = replyStatsJSON{Days: int(w.Window / (24 * time.Hour)), Comments: w.Comments, Answered: w.Answered,
			Due: w.Due, WithinTarget: w.WithinTarget, ShareWithinTarget: w.ShareWithinTarget(),
			MedianSeconds: int64(w.Median / time.Second), P90Seconds: int64(w.P90 / time.Second)}
	}
	return out
}

// handleReport answers GET /api/v1/admin/report: response times and
// backlog of the sites the user may see.
func (s *Server) handleReport(c echo.Context) error {
	reports, err := s.svc.ResponseReport(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	out := make([]siteReportJSON, len(reports))
	for i, r := range reports {
		j := siteReportJSON{Site: r.Site.Name, ReplyTarget: r.Site.ReplyTarget.String(), Windows: newReplyStatsJSON(r.Windows),
			ByAssignee: []assigneeJSON{}, Backlog: map[string]int{}, BacklogOverdue: r.Backlog.Overdue, BacklogTotal: r.Backlog.Total()}
		for k, label := range comment.BacklogLabels {
			j.Backlog[label] = r.Backlog.Buckets[k]
		}
		for _, a := range r.ByAssignee {
			j.ByAssignee = append(j.ByAssignee, assigneeJSON{AssigneeID: a.AssigneeID, Name: a.Name, Windows: newReplyStatsJSON(a.Windows)})
		}
		out[i] = j
	}
	return c.JSON(http.StatusOK, map[string]any{"sites": out})
}

// ThreadChanged tells the caches and live readers of every replica that a
// thread changed outside an HTTP request (a reply by email).
func (s *Server) ThreadChanged(t comment.Thread) {
	s.threadChanged(context.Background(), t.SiteID, t.Path)
}
