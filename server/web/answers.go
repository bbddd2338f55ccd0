package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/answer"
	"github.com/parleyhq/parley/server/comment"
)

// answerRoutes adds the saved answers and private follow-up to the admin
// API.
func (s *Server) answerRoutes(g *echo.Group) {
	g.GET("/sites/:name/answers", s.handleAnswerList)
	g.POST("/sites/:name/answers", s.handleAnswerCreate)
	g.PATCH("/answers/:id", s.handleAnswerUpdate)
	g.DELETE("/answers/:id", s.handleAnswerDelete)
	g.GET("/comments/:id/answers", s.handleCommentAnswers)
	g.POST("/comments/:id/follow-up", s.handleFollowUpJSON)
}

// answerPages adds the saved answers page and its forms, and the private
// follow-up form, to the panel.
func (s *Server) answerPages(g *echo.Group) {
	g.GET("/answers", s.handleAnswersPage)
	g.POST("/answers", s.handleAnswerCreateForm)
	g.POST("/answers/:id", s.handleAnswerUpdateForm)
	g.POST("/answers/:id/delete", s.handleAnswerDeleteForm)
	g.POST("/comments/:id/follow-up", s.handleFollowUpForm)
}

type answerJSON struct {
	ID         int64      `json:"id"`
	Site       string     `json:"site"`
	Title      string     `json:"title"`
	Body       string     `json:"body"`
	Uses       int        `json:"uses"`
	LastUsedAt *time.Time `json:"last_used_at"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	// Filled is the body with the placeholders filled in for one comment.
	Filled string `json:"filled,omitempty"`
}

func (s *Server) answerJSON(a answer.Answer) answerJSON {
	return answerJSON{ID: a.ID, Site: s.siteName(a.SiteID), Title: a.Title, Body: a.Body, Uses: a.Uses,
		LastUsedAt: optTime(a.LastUsedAt), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

type answerRequest struct {
	Title *string `json:"title"`
	Body  *string `json:"body"`
}

// answers returns the service, or NotFound on a server built without one.
func (s *Server) answerService() (*answer.Service, error) {
	if s.answers == nil {
		return nil, comment.Errorf(comment.NotFound, "Saved answers are not available here.")
	}
	return s.answers, nil
}

// answerSite returns the service and the site named in the path.
func (s *Server) answerSite(c echo.Context, name string) (*answer.Service, comment.Site, error) {
	svc, err := s.answerService()
	if err != nil {
		return nil, comment.Site{}, err
	}
	site, err := s.visibleSite(c, name)
	return svc, site, err
}

// answerInPath returns the service and the saved answer named in the path,
// if the user may see it.
func (s *Server) answerInPath(c echo.Context) (*answer.Service, answer.Answer, error) {
	svc, err := s.answerService()
	if err != nil {
		return nil, answer.Answer{}, err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, answer.Answer{}, comment.Errorf(comment.NotFound, "There is no such saved answer.")
	}
	a, err := svc.Get(c.Request().Context(), actor(c), id)
	return svc, a, err
}

// handleAnswerList answers GET /api/v1/admin/sites/:name/answers.
func (s *Server) handleAnswerList(c echo.Context) error {
	svc, site, err := s.answerSite(c, c.Param("name"))
	if err != nil {
		return err
	}
	list, err := svc.List(c.Request().Context(), actor(c), site.ID)
	if err != nil {
		return err
	}
	out := make([]answerJSON, len(list))
	for i, a := range list {
		out[i] = s.answerJSON(a)
	}
	return c.JSON(http.StatusOK, map[string]any{"answers": out, "placeholders": answer.Placeholders()})
}

// handleAnswerCreate answers POST /api/v1/admin/sites/:name/answers.
func (s *Server) handleAnswerCreate(c echo.Context) error {
	svc, site, err := s.answerSite(c, c.Param("name"))
	if err != nil {
		return err
	}
	var req answerRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	a, err := svc.Create(c.Request().Context(), actor(c), site.ID, deref(req.Title), deref(req.Body))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"answer": s.answerJSON(a)})
}

// handleAnswerUpdate answers PATCH /api/v1/admin/answers/:id; a field left
// out stays as it is.
func (s *Server) handleAnswerUpdate(c echo.Context) error {
	svc, old, err := s.answerInPath(c)
	if err != nil {
		return err
	}
	req := answerRequest{Title: &old.Title, Body: &old.Body}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	a, err := svc.Update(c.Request().Context(), actor(c), old.ID, deref(req.Title), deref(req.Body))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"answer": s.answerJSON(a)})
}

// handleAnswerDelete answers DELETE /api/v1/admin/answers/:id.
func (s *Server) handleAnswerDelete(c echo.Context) error {
	svc, old, err := s.answerInPath(c)
	if err != nil {
		return err
	}
	if err := svc.Delete(c.Request().Context(), actor(c), old.ID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleCommentAnswers answers GET /api/v1/admin/comments/:id/answers: the
// saved answers of the comment's site, filled in for it.
func (s *Server) handleCommentAnswers(c echo.Context) error {
	id, err := commentID(c)
	if err != nil {
		return err
	}
	d, err := s.svc.CommentDetail(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	box, err := s.replyBox(c, d, replyDraft{})
	if err != nil {
		return err
	}
	out := []answerJSON{}
	if box != nil {
		for _, a := range box.Answers {
			j := s.answerJSON(a.Answer)
			j.Filled = a.Filled
			out = append(out, j)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"answers": out})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// answerForm is what the saved answers page shows in its forms: a new
// answer, or one being edited, after an error.
type answerForm struct {
	ID           int64
	Title, Body  string
	Error, Field string
}

type answersPage struct {
	Site         siteJSON
	Answers      []answer.Answer
	Placeholders []string
	Form         answerForm
}

// handleAnswersPage answers GET /admin/answers?site=NAME: one site's saved
// answers (the first site the user may see when none is named).
func (s *Server) handleAnswersPage(c echo.Context) error {
	return s.renderAnswers(c, http.StatusOK, c.QueryParam("site"), answerForm{})
}

// renderAnswers shows the saved answers page of the named site.
func (s *Server) renderAnswers(c echo.Context, status int, name string, form answerForm) error {
	svc, err := s.answerService()
	if err != nil {
		return err
	}
	p := s.newPage(c, "Saved answers", "answers")
	if name == "" && len(p.Sites) > 0 {
		name = p.Sites[0].Name
	}
	data := answersPage{Placeholders: answer.Placeholders(), Form: form}
	if name != "" {
		site, err := s.visibleSite(c, name)
		if err != nil {
			return err
		}
		if data.Answers, err = svc.List(c.Request().Context(), actor(c), site.ID); err != nil {
			return err
		}
		data.Site = newSiteJSON(site)
	}
	p.Return = "/admin/answers?site=" + data.Site.Name
	p.Data = data
	return s.render(c, status, "answers", p)
}

// formError turns an error the user can fix into the form's message and the
// status to answer with; other errors come back as they are.
func formError(err error) (msg, field string, status int, ok bool) {
	var ce *comment.Error
	if !errors.As(err, &ce) || ce.Code == comment.Internal || ce.Code == comment.NotFound || ce.Code == comment.UnknownSite {
		return "", "", 0, false
	}
	status, known := statusOf[ce.Code]
	if !known {
		status = http.StatusBadRequest
	}
	return ce.Message, ce.Field, status, true
}

// handleAnswerCreateForm answers POST /admin/answers.
func (s *Server) handleAnswerCreateForm(c echo.Context) error {
	svc, site, err := s.answerSite(c, c.FormValue("site"))
	if err != nil {
		return err
	}
	title, body := c.FormValue("title"), c.FormValue("body")
	_, err = svc.Create(c.Request().Context(), actor(c), site.ID, title, body)
	return s.answerSaved(c, err, site.Name, answerForm{Title: title, Body: body})
}

// handleAnswerUpdateForm answers POST /admin/answers/:id.
func (s *Server) handleAnswerUpdateForm(c echo.Context) error {
	svc, old, err := s.answerInPath(c)
	if err != nil {
		return err
	}
	title, body := c.FormValue("title"), c.FormValue("body")
	_, err = svc.Update(c.Request().Context(), actor(c), old.ID, title, body)
	return s.answerSaved(c, err, s.siteName(old.SiteID), answerForm{ID: old.ID, Title: title, Body: body})
}

// answerSaved goes back to the site's saved answers, or shows the form
// again with what to fix.
func (s *Server) answerSaved(c echo.Context, err error, site string, form answerForm) error {
	if err != nil {
		msg, field, status, ok := formError(err)
		if !ok {
			return err
		}
		form.Error, form.Field = msg, field
		return s.renderAnswers(c, status, site, form)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/answers?site="+site+"&done=answer_saved")
}

// handleAnswerDeleteForm answers POST /admin/answers/:id/delete.
func (s *Server) handleAnswerDeleteForm(c echo.Context) error {
	svc, old, err := s.answerInPath(c)
	if err != nil {
		return err
	}
	if err := svc.Delete(c.Request().Context(), actor(c), old.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/answers?site="+s.siteName(old.SiteID)+"&done=answer_deleted")
}
