package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/answer"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/followup"
)

// replyDraft is what a reply form sent, shown again: after "Insert" (the
// picker without script) or when a saved answer went unchanged.
type replyDraft struct {
	Body     string
	AnswerID int64
	// Warning asks whether to personalise an unchanged saved answer.
	Warning string
	// insert fills Body with the answer AnswerID, filled in.
	insert bool
}

// pickItem is a saved answer in the reply box's picker, filled in for the
// comment.
type pickItem struct {
	answer.Answer
	Filled string
}

// replyBox is the reply form's picker and draft.
type replyBox struct {
	Answers []pickItem
	replyDraft
}

// replyBox fills the picker for an answer to d's comment; nil when there is
// nothing to reply to or no saved answers service.
func (s *Server) replyBox(c echo.Context, d comment.Detail, draft replyDraft) (*replyBox, error) {
	if s.answers == nil || d.Comment.Official {
		return nil, nil
	}
	list, err := s.answers.List(c.Request().Context(), actor(c), d.Comment.SiteID)
	if err != nil {
		return nil, err
	}
	v := s.answers.Values(actor(c), d.Comment, d.Thread)
	box := &replyBox{replyDraft: draft}
	for _, a := range list {
		box.Answers = append(box.Answers, pickItem{a, answer.Fill(a.Body, v)})
		if draft.insert && a.ID == draft.AnswerID {
			box.Body = box.Answers[len(box.Answers)-1].Filled
		}
	}
	return box, nil
}

// replyRequest is the JSON body of POST /api/v1/admin/comments/:id/reply.
type replyRequest struct {
	Body string `json:"body"`
	// AnswerID names the saved answer the reply started from; AsIs sends
	// it even if it was not personalised.
	AnswerID int64 `json:"answer_id"`
	AsIs     bool  `json:"as_is"`
}

// reply publishes an official reply, through the saved answers when it
// started from one.
func (s *Server) reply(c echo.Context, req replyRequest) (comment.Comment, comment.Thread, error) {
	if req.AnswerID == 0 {
		return s.apply(c, actReply, actionInput{Body: req.Body})
	}
	svc, err := s.answerService()
	if err != nil {
		return comment.Comment{}, comment.Thread{}, err
	}
	id, err := commentID(c)
	if err != nil {
		return comment.Comment{}, comment.Thread{}, err
	}
	cm, t, err := svc.Reply(c.Request().Context(), actor(c), answer.Reply{CommentID: id, Body: req.Body, AnswerID: req.AnswerID, AsIs: req.AsIs})
	if err != nil {
		return comment.Comment{}, comment.Thread{}, err
	}
	s.threadChanged(c.Request().Context(), t.SiteID, t.Path)
	return cm, t, nil
}

// handleReplyJSON answers POST /api/v1/admin/comments/:id/reply. A reply
// from a saved answer that was not personalised is refused once with 409
// not_personalised; sent again with "as_is": true it goes out.
func (s *Server) handleReplyJSON(c echo.Context) error {
	var req replyRequest
	if c.Request().ContentLength != 0 { // no body: the service says the reply is empty
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	cm, t, err := s.reply(c, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"comment": s.adminComment(cm, &t)})
}

// handleReplyForm answers POST /admin/comments/:id/reply: "Insert" shows the
// page again with the chosen answer filled into the box; "Publish" sends.
func (s *Server) handleReplyForm(c echo.Context) error {
	pick, _ := strconv.ParseInt(c.FormValue("pick"), 10, 64)
	if c.FormValue("insert") != "" {
		svc, err := s.answerService()
		if err != nil {
			return err
		}
		draft := replyDraft{Body: c.FormValue("body")}
		if pick > 0 {
			a, err := svc.Get(c.Request().Context(), actor(c), pick)
			if err != nil {
				return err
			}
			draft = replyDraft{AnswerID: a.ID, insert: true}
		}
		return s.renderCommentPage(c, http.StatusOK, draft, followUpDraft{})
	}
	req := replyRequest{Body: c.FormValue("body"), AsIs: c.FormValue("as_is") != ""}
	req.AnswerID, _ = strconv.ParseInt(c.FormValue("answer_id"), 10, 64)
	if _, _, err := s.reply(c, req); err != nil {
		if comment.CodeOf(err) != answer.NotPersonalised {
			return err
		}
		msg, _, status, _ := formError(err)
		return s.renderCommentPage(c, status, replyDraft{Body: req.Body, AnswerID: req.AnswerID, Warning: msg}, followUpDraft{})
	}
	return back(c, "replied")
}

// renderCommentPage shows the comment page again with a form's drafts. A
// draft that holds a saved answer as picked is filled in for the comment.
func (s *Server) renderCommentPage(c echo.Context, status int, reply replyDraft, follow followUpDraft) error {
	p, err := s.commentPage(c, reply, follow)
	if err != nil {
		return err
	}
	p.Return = "/admin/comments/" + c.Param("id")
	return s.render(c, status, "comment", p)
}

// followUpDraft is what the follow-up form sent, shown again with why it
// was not sent.
type followUpDraft struct {
	Subject, Message, Note string
	Error                  string
	Open                   bool
}

// followUpBox is the comment page's "Follow up privately" section.
type followUpBox struct {
	Show    bool // a reader's comment
	Enabled bool // a mail server is set up
	From    string
	followUpDraft
}

func (s *Server) followUpBox(d comment.Detail, draft followUpDraft) followUpBox {
	box := followUpBox{Show: !d.Comment.Official, Enabled: s.followUp.Enabled(), followUpDraft: draft}
	if !draft.Open {
		box.Subject, box.Note = followup.DefaultSubject(d.Thread), followup.DefaultNote
	}
	if site, ok := s.svc.SiteByID(d.Comment.SiteID); ok {
		box.From = site.Title
		if box.From == "" {
			box.From = site.Name
		}
	}
	return box
}

// followUpRequest is the JSON body of POST /api/v1/admin/comments/:id/follow-up.
type followUpRequest struct {
	Subject string  `json:"subject"`
	Message string  `json:"message"`
	Note    *string `json:"note"` // absent: followup.DefaultNote
}

// sendFollowUp sends a private follow-up to the author of the comment in the
// path and publishes its note.
func (s *Server) sendFollowUp(c echo.Context, req followUpRequest) (comment.Comment, comment.Thread, error) {
	id, err := commentID(c)
	if err != nil {
		return comment.Comment{}, comment.Thread{}, err
	}
	note := followup.DefaultNote
	if req.Note != nil {
		note = *req.Note
	}
	cm, t, err := s.followUp.Send(c.Request().Context(), actor(c), followup.Request{CommentID: id, Subject: req.Subject,
		Message: req.Message, Note: note, StaffEmail: currentUser(c).user.Email})
	if err != nil {
		return comment.Comment{}, comment.Thread{}, err
	}
	s.threadChanged(c.Request().Context(), t.SiteID, t.Path)
	return cm, t, nil
}

// handleFollowUpJSON answers POST /api/v1/admin/comments/:id/follow-up with
// the published note.
func (s *Server) handleFollowUpJSON(c echo.Context) error {
	var req followUpRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cm, t, err := s.sendFollowUp(c, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"comment": s.adminComment(cm, &t)})
}

// handleFollowUpForm answers POST /admin/comments/:id/follow-up. When the
// email cannot go, the page comes back with the draft and the reason.
func (s *Server) handleFollowUpForm(c echo.Context) error {
	note := c.FormValue("note")
	req := followUpRequest{Subject: c.FormValue("subject"), Message: c.FormValue("message"), Note: &note}
	if _, _, err := s.sendFollowUp(c, req); err != nil {
		msg, _, status, ok := formError(err)
		if !ok {
			return err
		}
		return s.renderCommentPage(c, status, replyDraft{},
			followUpDraft{Subject: req.Subject, Message: req.Message, Note: note, Error: msg, Open: true})
	}
	return c.Redirect(http.StatusSeeOther, "/admin/comments/"+c.Param("id")+"?done=followed_up")
}
