package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/crisis"
)

// Crises lists the open crises an actor may see (crisis.Watcher does).
type Crises interface {
	Open(ctx context.Context, a comment.Actor) ([]crisis.Report, error)
}

// crisisBanner is an open crisis as the inbox shows it.
type crisisBanner struct {
	Where   string // the post's title, or "" for the whole site
	PostURL string
	Site    string
	What    string // "30 negative comments in 10 minutes"
	Usual   string
	Since   time.Time
	Link    string // the inbox of the post or site
}

// openCrises returns the banners of the open crises the actor may see.
func (s *Server) openCrises(c echo.Context) ([]crisisBanner, error) {
	if s.crises == nil {
		return nil, nil
	}
	reps, err := s.crises.Open(c.Request().Context(), actor(c))
	if err != nil {
		return nil, err
	}
	out := make([]crisisBanner, len(reps))
	for i, r := range reps {
		b := crisisBanner{Site: s.siteName(r.Crisis.Scope.SiteID), What: r.What() + " in " + r.Span(), Usual: r.Usual(),
			Since: r.Crisis.StartedAt, PostURL: r.Thread.URL}
		b.Link = "/admin/?site=" + url.QueryEscape(b.Site)
		if r.Crisis.Scope.ThreadID != 0 {
			b.Where = r.Thread.Title
			if b.Where == "" {
				b.Where = r.Thread.Path
			}
			b.Link += fmt.Sprintf("&thread=%d", r.Crisis.Scope.ThreadID)
		}
		out[i] = b
	}
	return out, nil
}

type crisisJSON struct {
	ID            int64            `json:"id"`
	Site          string           `json:"site"`
	Thread        *adminThreadJSON `json:"thread"` // null: site-wide
	Reason        crisis.Reason    `json:"reason"`
	Negative      int              `json:"negative"`
	Unanswered    int              `json:"unanswered"`
	UsualNegative float64          `json:"usual_negative"`
	UsualComments float64          `json:"usual_comments"`
	WindowSeconds int64            `json:"window_seconds"`
	StartedAt     time.Time        `json:"started_at"`
	LastSeenAt    time.Time        `json:"last_seen_at"`
}

// handleCrisisList answers GET /api/v1/admin/crises: the open crises of
// the sites the user may see, oldest first.
func (s *Server) handleCrisisList(c echo.Context) error {
	out := []crisisJSON{}
	if s.crises != nil {
		reps, err := s.crises.Open(c.Request().Context(), actor(c))
		if err != nil {
			return err
		}
		for _, r := range reps {
			k := r.Crisis
			j := crisisJSON{ID: k.ID, Site: s.siteName(k.Scope.SiteID), Reason: k.Reason, Negative: k.Negative,
				Unanswered: k.Unanswered, UsualNegative: k.UsualNegative, UsualComments: k.UsualComments,
				WindowSeconds: int64(r.Window / time.Second), StartedAt: k.StartedAt.UTC(), LastSeenAt: k.LastSeenAt.UTC()}
			if k.Scope.ThreadID != 0 {
				j.Thread = s.adminThread(r.Thread)
			}
			out = append(out, j)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"crises": out})
}

// toneBadge is what the inbox shows of a comment's tone.
type toneBadge struct {
	Negative bool
	Score    string // "0.82"
	Cues     string // the words and rules behind the score, for the tooltip
}

func (s *Server) tone(c comment.Comment) toneBadge {
	if !s.svc.Negative(c) {
		return toneBadge{}
	}
	return toneBadge{Negative: true, Score: fmt.Sprintf("%.2f", c.Negativity), Cues: strings.Join(s.cues(c), ", ")}
}

// cues explains a negative comment's score; nil for the others.
func (s *Server) cues(c comment.Comment) []string {
	if s.toneCues == nil || !s.svc.Negative(c) {
		return nil
	}
	return s.toneCues(c.Body)
}
