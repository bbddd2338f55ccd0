package web

import (
	"context"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
)

// adminCommentJSON is a comment as staff see it: with the reader's email
// (staff may need to write to them) but never the client hash or edit token.
type adminCommentJSON struct {
	ID               int64              `json:"id"`
	Site             string             `json:"site"`
	Thread           *adminThreadJSON   `json:"thread,omitempty"`
	ParentID         *int64             `json:"parent_id"`
	Author           string             `json:"author"`
	Email            string             `json:"email"`
	Website          string             `json:"website"`
	Body             string             `json:"body"`
	HTML             string             `json:"html"`
	Status           comment.Status     `json:"status"`
	Official         bool               `json:"official"`
	ReplyState       comment.ReplyState `json:"reply_state"`
	StateReason      string             `json:"state_reason,omitempty"`
	ModerationReason string             `json:"moderation_reason,omitempty"`
	FlagReason       string             `json:"flag_reason,omitempty"`
	CreatedAt        time.Time          `json:"created_at"`
	EditedAt         *time.Time         `json:"edited_at"`
	AnsweredAt       *time.Time         `json:"answered_at"`
	AssigneeID       *int64             `json:"assignee_id"`
	DueAt            *time.Time         `json:"due_at"`
	ReplySeconds     *int64             `json:"reply_seconds,omitempty"`
	// Negativity is the tone score of a reader comment (0 calm … 1 very
	// negative; null for staff replies); Negative says it is past the
	// threshold, and ToneCues (negative comments only) why.
	Negativity *float64 `json:"negativity"`
	Negative   bool     `json:"negative"`
	ToneCues   []string `json:"tone_cues,omitempty"`
}

type adminThreadJSON struct {
	ID       int64     `json:"id"`
	Site     string    `json:"site"`
	URL      string    `json:"url"`
	Path     string    `json:"path"`
	Title    string    `json:"title"`
	Comments int       `json:"comments,omitempty"`
	Open     int       `json:"open,omitempty"`
	Latest   time.Time `json:"latest_at,omitzero"`
}

type userJSON struct {
	ID    int64    `json:"id"`
	Email string   `json:"email"`
	Name  string   `json:"name"`
	Role  string   `json:"role"`
	Sites []string `json:"sites"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func (s *Server) siteName(id int64) string {
	site, _ := s.svc.SiteByID(id)
	return site.Name
}

func (s *Server) adminThread(t comment.Thread) *adminThreadJSON {
	return &adminThreadJSON{ID: t.ID, Site: s.siteName(t.SiteID), URL: t.URL, Path: t.Path, Title: t.Title}
}

func (s *Server) adminComment(c comment.Comment, t *comment.Thread) adminCommentJSON {
	j := adminCommentJSON{ID: c.ID, Site: s.siteName(c.SiteID), Author: c.Author, Email: c.Email, Website: c.Website,
		Body: c.Body, HTML: c.HTML, Status: c.Status, Official: c.Official, ReplyState: c.ReplyState,
		StateReason: c.StateReason, ModerationReason: c.ModerationReason, FlagReason: c.FlagReason, CreatedAt: c.CreatedAt.UTC(),
		EditedAt: optTime(c.EditedAt), AnsweredAt: optTime(c.AnsweredAt), DueAt: optTime(c.DueAt)}
	if c.ParentID != 0 {
		j.ParentID = &c.ParentID
	}
	if c.AssigneeID != 0 {
		j.AssigneeID = &c.AssigneeID
	}
	if !c.AnsweredAt.IsZero() && c.ReplyState == comment.ReplyAnswered {
		secs := int64(c.ReplyTime / time.Second)
		j.ReplySeconds = &secs
	}
	if !c.Official {
		j.Negativity, j.Negative, j.ToneCues = &c.Negativity, s.svc.Negative(c), s.cues(c)
	}
	if t != nil {
		j.Thread = s.adminThread(*t)
	}
	return j
}

func (s *Server) userJSON(u staff.User) userJSON {
	j := userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Sites: []string{}}
	for _, id := range u.SiteIDs {
		j.Sites = append(j.Sites, s.siteName(id))
	}
	return j
}

// scopedSite returns the ID of the site the site parameter names, 0 when
// there is none.
func (s *Server) scopedSite(c echo.Context) (int64, error) {
	name := c.QueryParam("site")
	if name == "" {
		return 0, nil
	}
	site, err := s.visibleSite(c, name)
	return site.ID, err
}

// visibleSite returns the named site if the signed-in user may see it; a
// site they may not see is as unknown as a missing one.
func (s *Server) visibleSite(c echo.Context, name string) (comment.Site, error) {
	site, err := s.svc.Site(name)
	if err != nil || !actor(c).CanSee(site.ID) {
		return comment.Site{}, comment.Errorf(comment.UnknownSite, "There is no site named %q.", name)
	}
	return site, nil
}

func pageParams(c echo.Context) (limit, offset int) {
	limit, _ = strconv.Atoi(c.QueryParam("limit"))
	offset, _ = strconv.Atoi(c.QueryParam("offset"))
	return limit, offset
}

func commentID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, comment.Errorf(comment.NotFound, "There is no such comment.")
	}
	return id, nil
}

type listJSON struct {
	Items  []adminCommentJSON `json:"items"`
	Total  int                `json:"total"`
	Limit  int                `json:"limit"`
	Offset int                `json:"offset"`
}

func (s *Server) listed(items []comment.Listed, total, limit, offset int) listJSON {
	out := listJSON{Items: make([]adminCommentJSON, len(items)), Total: total, Limit: limit, Offset: offset}
	for i := range items {
		out.Items[i] = s.adminComment(items[i].Comment, &items[i].Thread)
	}
	return out
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// handleAdminLogin answers POST /api/v1/admin/login.
func (s *Server) handleAdminLogin(c echo.Context) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, sess, err := s.login(c, req.Email, req.Password)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"user": s.userJSON(u), "csrf_token": sess.CSRFToken})
}

// handleAdminLogout answers POST /api/v1/admin/logout.
func (s *Server) handleAdminLogout(c echo.Context) error {
	if err := s.logout(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleAdminMe answers GET /api/v1/admin/me.
func (s *Server) handleAdminMe(c echo.Context) error {
	in := currentUser(c)
	return c.JSON(http.StatusOK, map[string]any{"user": s.userJSON(in.user), "csrf_token": in.csrf})
}

// handleAdminToken answers POST /api/v1/admin/token: a new API token for the
// signed-in user, shown once.
func (s *Server) handleAdminToken(c echo.Context) error {
	token, err := s.staff.NewAPIToken(c.Request().Context(), currentUser(c).user.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"api_token": token})
}

// inbox reads one page of the inbox the request asks for.
func (s *Server) inbox(c echo.Context) (items []comment.Listed, total, limit, offset int, err error) {
	siteID, err := s.scopedSite(c)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	limit, offset = pageParams(c)
	q := comment.InboxQuery{SiteID: siteID, Limit: limit, Offset: offset}
	if t := c.QueryParam("thread"); t != "" {
		if q.ThreadID, err = strconv.ParseInt(t, 10, 64); err != nil || q.ThreadID <= 0 {
			return nil, 0, 0, 0, comment.FieldError("thread", "The thread is a post's numeric ID.")
		}
	}
	items, total, err = s.svc.Inbox(c.Request().Context(), actor(c), q)
	return items, total, limit, offset, err
}

// handleInboxList answers GET /api/v1/admin/inbox.
func (s *Server) handleInboxList(c echo.Context) error {
	items, total, limit, offset, err := s.inbox(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.listed(items, total, limit, offset))
}

// commentFilter reads the filters of the comment list from the query.
func (s *Server) commentFilter(c echo.Context) (comment.Filter, error) {
	siteID, err := s.scopedSite(c)
	if err != nil {
		return comment.Filter{}, err
	}
	f := comment.Filter{Query: strings.TrimSpace(c.QueryParam("q"))}
	f.Limit, f.Offset = pageParams(c)
	if siteID != 0 {
		f.SiteIDs = []int64{siteID}
	}
	if t := c.QueryParam("thread"); t != "" {
		f.ThreadID, _ = strconv.ParseInt(t, 10, 64)
	}
	if st := c.QueryParam("status"); st != "" {
		f.Statuses = []comment.Status{comment.Status(st)}
	}
	switch state := c.QueryParam("state"); state {
	case "":
	case "unanswered":
		official := false
		f.ReplyState, f.Official = comment.ReplyOpen, &official
	case "answered", "not_needed", "open", "staff":
		f.ReplyState = comment.ReplyState(state)
	default:
		return f, comment.FieldError("state", "Unknown state %q.", state)
	}
	return f, nil
}

// comments reads one page of the comments the request's filters select.
func (s *Server) comments(c echo.Context) ([]comment.Listed, int, comment.Filter, error) {
	f, err := s.commentFilter(c)
	if err != nil {
		return nil, 0, f, err
	}
	items, total, err := s.svc.Comments(c.Request().Context(), actor(c), f)
	return items, total, f, err
}

// handleCommentList answers GET /api/v1/admin/comments.
func (s *Server) handleCommentList(c echo.Context) error {
	items, total, f, err := s.comments(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.listed(items, total, f.Limit, f.Offset))
}

// handleCommentDetail answers GET /api/v1/admin/comments/:id.
func (s *Server) handleCommentDetail(c echo.Context) error {
	id, err := commentID(c)
	if err != nil {
		return err
	}
	d, err := s.svc.CommentDetail(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	conv := func(cs []comment.Comment) []adminCommentJSON {
		out := make([]adminCommentJSON, len(cs))
		for i := range cs {
			out[i] = s.adminComment(cs[i], nil)
		}
		return out
	}
	return c.JSON(http.StatusOK, map[string]any{"comment": s.adminComment(d.Comment, &d.Thread),
		"ancestors": conv(d.Ancestors), "replies": conv(d.Replies)})
}

// actionInput is what a staff action on a comment reads, from a JSON body
// or from a form.
type actionInput struct {
	Body       string `json:"body"`
	Action     string `json:"action"`
	Reason     string `json:"reason"`
	AssigneeID int64  `json:"assignee_id"`
}

// staffAction is one thing staff do to a comment.
type staffAction struct {
	// status answers the JSON API; done names the panel's confirmation
	// ("" to use the moderation action).
	status int
	done   string
	run    func(svc *comment.Service, ctx context.Context, a comment.Actor, id int64, in actionInput) (comment.Comment, comment.Thread, error)
}

var (
	actReply = staffAction{http.StatusCreated, "replied", func(svc *comment.Service, ctx context.Context, a comment.Actor, id int64, in actionInput) (comment.Comment, comment.Thread, error) {
		return svc.StaffReply(ctx, a, id, in.Body)
	}}
	actEdit = staffAction{http.StatusOK, "edited", func(svc *comment.Service, ctx context.Context, a comment.Actor, id int64, in actionInput) (comment.Comment, comment.Thread, error) {
		return svc.EditStaffReply(ctx, a, id, in.Body)
	}}
	actModerate = staffAction{http.StatusOK, "", func(svc *comment.Service, ctx context.Context, a comment.Actor, id int64, in actionInput) (comment.Comment, comment.Thread, error) {
		return svc.Moderate(ctx, a, id, comment.Action(in.Action), in.Reason)
	}}
	actNoReply = staffAction{http.StatusOK, "no_reply_needed", func(svc *comment.Service, ctx context.Context, a comment.Actor, id int64, in actionInput) (comment.Comment, comment.Thread, error) {
		return svc.SetNoReplyNeeded(ctx, a, id, in.Reason)
	}}
	actReopen = staffAction{http.StatusOK, "reopen", func(svc *comment.Service, ctx context.Context, a comment.Actor, id int64, _ actionInput) (comment.Comment, comment.Thread, error) {
		return svc.Reopen(ctx, a, id)
	}}
	actAssign = staffAction{http.StatusOK, "assigned", func(svc *comment.Service, ctx context.Context, a comment.Actor, id int64, in actionInput) (comment.Comment, comment.Thread, error) {
		return svc.Reassign(ctx, a, id, in.AssigneeID)
	}}
)

// apply runs an action on the comment named in the path and drops the
// public cache of its thread.
func (s *Server) apply(c echo.Context, act staffAction, in actionInput) (comment.Comment, comment.Thread, error) {
	id, err := commentID(c)
	if err != nil {
		return comment.Comment{}, comment.Thread{}, err
	}
	cm, t, err := act.run(s.svc, c.Request().Context(), actor(c), id, in)
	if err != nil {
		return comment.Comment{}, comment.Thread{}, err
	}
	s.threadChanged(c.Request().Context(), t.SiteID, t.Path)
	return cm, t, nil
}

// handleActionJSON answers a staff action of the admin API, such as
// POST /api/v1/admin/comments/:id/reply, with the changed comment.
func (s *Server) handleActionJSON(act staffAction) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in actionInput
		if c.Request().ContentLength != 0 {
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
		}
		cm, t, err := s.apply(c, act, in)
		if err != nil {
			return err
		}
		return c.JSON(act.status, map[string]any{"comment": s.adminComment(cm, &t)})
	}
}

// purge deletes the spam comment named in the path (owners only).
func (s *Server) purge(c echo.Context) error {
	id, err := commentID(c)
	if err != nil {
		return err
	}
	t, err := s.svc.Purge(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	s.threadChanged(c.Request().Context(), t.SiteID, t.Path)
	return nil
}

// handlePurge answers DELETE /api/v1/admin/comments/:id.
func (s *Server) handlePurge(c echo.Context) error {
	if err := s.purge(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleThreadList answers GET /api/v1/admin/threads.
func (s *Server) handleThreadList(c echo.Context) error {
	siteID, err := s.scopedSite(c)
	if err != nil {
		return err
	}
	ts, err := s.svc.Threads(c.Request().Context(), actor(c), siteID)
	if err != nil {
		return err
	}
	out := make([]*adminThreadJSON, len(ts))
	for i, t := range ts {
		out[i] = s.adminThread(t.Thread)
		out[i].Comments, out[i].Open, out[i].Latest = t.Comments, t.Open, t.Latest
	}
	return c.JSON(http.StatusOK, map[string]any{"threads": out})
}

type auditJSON struct {
	ID        int64     `json:"id"`
	Site      string    `json:"site"`
	User      string    `json:"user"`
	Action    string    `json:"action"`
	CommentID int64     `json:"comment_id,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// handleAuditList answers GET /api/v1/admin/audit: every site for owners,
// their own sites for staff.
func (s *Server) handleAuditList(c echo.Context) error {
	siteID, err := s.scopedSite(c)
	if err != nil {
		return err
	}
	f := comment.AuditFilter{}
	f.Limit, f.Offset = pageParams(c)
	if siteID != 0 {
		f.SiteIDs = []int64{siteID}
	}
	f.CommentID, _ = strconv.ParseInt(c.QueryParam("comment"), 10, 64)
	entries, total, err := s.svc.Audit(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	out := make([]auditJSON, len(entries))
	for i, e := range entries {
		out[i] = auditJSON{ID: e.ID, Site: s.siteName(e.SiteID), User: e.UserName, Action: string(e.Action),
			CommentID: e.CommentID, Reason: e.Reason, Detail: e.Detail, CreatedAt: e.CreatedAt.UTC()}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": total})
}

type siteJSON struct {
	Name        string             `json:"name"`
	Title       string             `json:"title"`
	Origins     []string           `json:"origins"`
	EditWindow  string             `json:"edit_window"`
	Moderation  comment.Moderation `json:"moderation"`
	Blocklist   []string           `json:"blocklist"`
	MaxLinks    int                `json:"max_links"`
	TimeZone    string             `json:"time_zone"`
	Hours       string             `json:"business_hours"`
	Holidays    string             `json:"holidays"`
	ReplyTarget string             `json:"reply_target"`
	Assignees   []int64            `json:"assignees"`
	Authors     []authorRouteJSON  `json:"authors"`
	AckTexts    map[string]string  `json:"ack_texts"`
}

type authorRouteJSON struct {
	Author string `json:"author"`
	UserID int64  `json:"user_id"`
}

func newSiteJSON(site comment.Site) siteJSON {
	j := siteJSON{Name: site.Name, Title: site.Title, Origins: site.Origins, EditWindow: site.EditWindow.String(),
		Moderation: site.Moderation, Blocklist: append([]string{}, site.Blocklist...), MaxLinks: site.MaxLinks,
		TimeZone: site.TimeZone, Hours: site.Hours, Holidays: site.Holidays, ReplyTarget: site.ReplyTarget.String(),
		Assignees: append([]int64{}, site.Assignees...), Authors: []authorRouteJSON{}, AckTexts: map[string]string{}}
	maps.Copy(j.AckTexts, site.AckTexts)
	for _, r := range site.Authors {
		j.Authors = append(j.Authors, authorRouteJSON(r))
	}
	return j
}

// handleSiteList answers GET /api/v1/admin/sites: the sites the user may see.
func (s *Server) handleSiteList(c echo.Context) error {
	a := actor(c)
	out := []siteJSON{}
	for _, site := range s.svc.Sites() {
		if a.CanSee(site.ID) {
			out = append(out, newSiteJSON(site))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"sites": out})
}

type siteUpdateRequest struct {
	Title      *string             `json:"title"`
	Origins    []string            `json:"origins"`
	EditWindow *string             `json:"edit_window"`
	Moderation *comment.Moderation `json:"moderation"`
	Blocklist  []string            `json:"blocklist"`
	MaxLinks   *int                `json:"max_links"`

	TimeZone    *string           `json:"time_zone"`
	Hours       *string           `json:"business_hours"`
	Holidays    *string           `json:"holidays"`
	ReplyTarget *string           `json:"reply_target"`
	Assignees   []int64           `json:"assignees"`
	Authors     []authorRouteJSON `json:"authors"`
	// AckTexts replaces every wording of the acknowledgement; a language
	// left out or empty gets the default.
	AckTexts map[string]string `json:"ack_texts"`
}

// handleSiteUpdate answers PATCH /api/v1/admin/sites/:name (owners only).
func (s *Server) handleSiteUpdate(c echo.Context) error {
	site, err := s.visibleSite(c, c.Param("name"))
	if err != nil {
		return err
	}
	var req siteUpdateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u := comment.SiteUpdate{Title: req.Title, Origins: req.Origins, Moderation: req.Moderation,
		Blocklist: req.Blocklist, MaxLinks: req.MaxLinks, TimeZone: req.TimeZone, Hours: req.Hours,
		Holidays: req.Holidays, Assignees: req.Assignees}
	if req.Authors != nil {
		u.Authors = []comment.AuthorRoute{}
		for _, r := range req.Authors {
			u.Authors = append(u.Authors, comment.AuthorRoute(r))
		}
	}
	if req.ReplyTarget != nil {
		d, err := time.ParseDuration(*req.ReplyTarget)
		if err != nil || d <= 0 {
			return comment.FieldError("reply_target", "The reply target must be a duration of business time such as 4h.")
		}
		u.ReplyTarget = &d
	}
	if req.AckTexts != nil {
		if u.AckTexts, err = s.cleanAckTexts(req.AckTexts, func(string) string { return "ack_texts" }); err != nil {
			return err
		}
	}
	if req.EditWindow != nil {
		d, err := time.ParseDuration(*req.EditWindow)
		if err != nil {
			return comment.FieldError("edit_window", "The edit window must be a duration such as 15m.")
		}
		u.EditWindow = &d
	}
	saved, err := s.svc.UpdateSiteSettings(c.Request().Context(), actor(c), site.ID, u)
	if err != nil {
		return err
	}
	s.sitesChanged(c.Request().Context())
	return c.JSON(http.StatusOK, map[string]any{"site": newSiteJSON(saved)})
}
