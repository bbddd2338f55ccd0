package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// commentRequest is the body of POST /api/v1/comments.
type commentRequest struct {
	URL string `json:"url"`
	// Honeypot is the embed's invisible field; ElapsedMS how long its form
	// was open.
	Honeypot  string `json:"hp"`
	ElapsedMS int64  `json:"elapsed_ms"`
	Title     string `json:"title"`
	ParentID  int64  `json:"parent_id"`
	Author    string `json:"author"`
	Email     string `json:"email"`
	Website   string `json:"website"`
	Body      string `json:"body"`
	// AuthorHint is the post's author (data-author or <meta name=author>),
	// which routes the comment to a staff member.
	AuthorHint string `json:"author_hint"`
	// Lang is the embed's language and TZ the reader's IANA time zone,
	// for the acknowledgement and reply emails; anything unusable is
	// ignored. NotifyReplies asks that replies be emailed to Email (after
	// a confirmation).
	Lang          string `json:"lang"`
	TZ            string `json:"tz"`
	NotifyReplies bool   `json:"notify_replies"`
}

// postedJSON answers a new comment.
type postedJSON struct {
	Comment   *commentJSON `json:"comment"`
	EditToken string       `json:"edit_token"`
	EditUntil time.Time    `json:"edit_until"`
	Ack       *ackJSON     `json:"ack,omitempty"`
	// ReplyEmails says what notify_replies did (see reader.OptInResult).
	ReplyEmails string `json:"notify_replies,omitempty"`
}

type editRequest struct {
	Body string `json:"body"`
}

type commentOnlyJSON struct {
	Comment *commentJSON `json:"comment"`
}

// handleCommentCreate answers POST /api/v1/comments?site=S.
func (s *Server) handleCommentCreate(c echo.Context) error {
	site, err := s.writableSite(c)
	if err != nil {
		return err
	}
	if err := s.limitPost(c, site); err != nil {
		return err
	}
	p, req, err := s.createComment(c, site)
	if err != nil {
		s.refundPost(c, site, err)
		return err
	}
	if p.Comment.Status == comment.StatusSpam {
		// A spammer learns only that the comment waits for a moderator.
		p.Comment.Status = comment.StatusPending
	}
	// Held and spam comments read alike here too: both are not approved.
	return c.JSON(http.StatusCreated, postedJSON{Comment: newCommentJSON(p.Comment),
		EditToken: p.EditToken, EditUntil: p.EditUntil.UTC(), Ack: s.acknowledge(site, p.Comment, req.Lang, req.TZ),
		ReplyEmails: replyEmailsOf(c)})
}

// createComment reads and stores a new comment, and drops the cached thread.
// It returns the request too, for what the answer tells the reader.
func (s *Server) createComment(c echo.Context, site comment.Site) (comment.Posted, commentRequest, error) {
	var req commentRequest
	if err := decodeJSON(c, &req); err != nil {
		return comment.Posted{}, req, err
	}
	if strings.HasPrefix(req.URL, "/") && !strings.HasPrefix(req.URL, "//") {
		// A page address given as a path is on the (checked) origin the
		// browser posts from; remember the whole address for the thread.
		req.URL = originOf(c) + req.URL
	}
	p, err := s.svc.Post(c.Request().Context(), site, comment.Input{
		URL: req.URL, Title: req.Title, ParentID: req.ParentID, Author: req.Author,
		Email: req.Email, Website: req.Website, Body: req.Body, ClientAddr: c.RealIP(),
		UserAgent: c.Request().UserAgent(), Honeypot: req.Honeypot, Elapsed: time.Duration(req.ElapsedMS) * time.Millisecond, AuthorHint: req.AuthorHint,
	})
	if err != nil {
		return comment.Posted{}, req, err
	}
	s.threadChanged(c.Request().Context(), site.ID, p.Thread.Path)
	s.followReplies(c, req, p.Comment)
	return p, req, nil
}

// handleCommentEdit answers PATCH /api/v1/comments/:id?site=S.
func (s *Server) handleCommentEdit(c echo.Context) error {
	site, id, token, err := s.ownCommentRequest(c)
	if err != nil {
		return err
	}
	var req editRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cm, t, err := s.svc.Edit(c.Request().Context(), site, id, token, req.Body)
	if err != nil {
		return err
	}
	s.threadChanged(c.Request().Context(), site.ID, t.Path)
	return c.JSON(http.StatusOK, commentOnlyJSON{Comment: newCommentJSON(cm)})
}

// handleCommentDelete answers DELETE /api/v1/comments/:id?site=S.
func (s *Server) handleCommentDelete(c echo.Context) error {
	site, id, token, err := s.ownCommentRequest(c)
	if err != nil {
		return err
	}
	t, err := s.svc.Delete(c.Request().Context(), site, id, token)
	if err != nil {
		return err
	}
	s.threadChanged(c.Request().Context(), site.ID, t.Path)
	return c.NoContent(http.StatusNoContent)
}

// ownCommentRequest reads what an edit or delete by a reader names: the
// site, the comment and the bearer edit token.
func (s *Server) ownCommentRequest(c echo.Context) (comment.Site, int64, string, error) {
	site, err := s.writableSite(c)
	if err != nil {
		return comment.Site{}, 0, "", err
	}
	if err := s.limitEdit(c); err != nil {
		return comment.Site{}, 0, "", err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return comment.Site{}, 0, "", comment.Errorf(comment.NotFound, "There is no such comment.")
	}
	token, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return comment.Site{}, 0, "", comment.Errorf(comment.Forbidden, "The edit token is missing.")
	}
	return site, id, strings.TrimSpace(token), nil
}

// MaxCountURLs bounds the addresses one counts request may ask about.
const MaxCountURLs = 100

// handleCountsGet answers GET /api/v1/counts?site=S&url=U1&url=U2….
func (s *Server) handleCountsGet(c echo.Context) error {
	site, err := s.site(c)
	if err != nil {
		return err
	}
	urls := c.QueryParams()["url"]
	if len(urls) == 0 {
		return comment.FieldError("url", "Name at least one page address.")
	}
	if len(urls) > MaxCountURLs {
		return comment.FieldError("url", "At most %d page addresses per request.", MaxCountURLs)
	}
	counts, err := s.svc.Counts(c.Request().Context(), site, urls)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{"counts": counts})
}

// handleHealth answers GET /healthz.
func (s *Server) handleHealth(c echo.Context) error {
	if err := s.ping(c.Request().Context()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
