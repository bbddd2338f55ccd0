package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// pages holds the admin panel's templates: each page template together
// with layout.html, parsed the first time the page is shown. Every page is
// parsed once at startup too, so that a broken template stops the start,
// and then let go: parsed, they take 1.3 MB, which a server that only
// readers use would keep for nothing.
type pages struct {
	fsys   fs.FS
	mu     sync.Mutex
	byName map[string]*template.Template
}

var pageNames = []string{"login", "inbox", "comments", "comment", "posts", "audit", "settings", "alerts", "response", "import", "error", "dashboard", "answers"}

func loadPages(fsys fs.FS) (*pages, error) {
	p := &pages{fsys: fsys, byName: map[string]*template.Template{}}
	if fsys == nil {
		return p, nil
	}
	for _, name := range pageNames {
		if _, err := p.parse(name); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *pages) parse(name string) (*template.Template, error) {
	t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(p.fsys, "layout.html", name+".html")
	if err != nil {
		return nil, fmt.Errorf("web: admin template %s: %w", name, err)
	}
	return t, nil
}

// has reports whether the panel has a page of that name.
func (p *pages) has(name string) bool { return p.fsys != nil && slices.Contains(pageNames, name) }

// get returns a page's template, parsing it the first time.
func (p *pages) get(name string) (*template.Template, error) {
	if !p.has(name) {
		return nil, fmt.Errorf("web: no admin template %s", name)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.byName[name]; ok {
		return t, nil
	}
	t, err := p.parse(name)
	if err == nil {
		p.byName[name] = t
	}
	return t, err
}

var templateFuncs = template.FuncMap{
	// html marks comment HTML as safe: it was sanitised when stored.
	"html":     func(s string) template.HTML { return template.HTML(s) },
	"age":      age,
	"datetime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"initial":  initial,
	"list":     func(xs ...string) []string { return xs },
	"dict":     dict,
}

// dict builds a map for passing several values to a sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// age says how long ago t was, in the largest whole unit.
func age(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
}

func initial(name string) string {
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return strings.ToUpper(string(r))
		}
	}
	return "?"
}

// page is what every admin template gets.
type page struct {
	Title  string
	Active string
	User   userJSON
	Owner  bool
	CSRF   string
	Flash  string
	Error  string
	Sites  []siteJSON
	// Return is the address forms send the browser back to.
	Return string
	Data   any
	// Refresh, when set, reloads the page every so many seconds (an import
	// in progress shows its progress without script).
	Refresh int
}

// render writes a page template, buffered so that a template error becomes
// a clean 500 rather than half a page.
func (s *Server) render(c echo.Context, status int, name string, p page) error {
	t, err := s.pages.get(name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// newPage fills what every signed-in page shows.
func (s *Server) newPage(c echo.Context, title, active string) page {
	in := currentUser(c)
	p := page{Title: title, Active: active, User: s.userJSON(in.user), Owner: in.user.Role == "owner", CSRF: in.csrf,
		Flash: flashText(c.QueryParam("done")), Return: safeNext(c.Request().URL.RequestURI())}
	a := in.user.Actor()
	for _, site := range s.svc.Sites() {
		if a.CanSee(site.ID) {
			p.Sites = append(p.Sites, newSiteJSON(site))
		}
	}
	return p
}

// flashText is the confirmation shown after an action; only known values
// are shown, so a link cannot put words in Parley's mouth.
func flashText(done string) string {
	return map[string]string{
		"replied": "Reply published.", "approve": "Comment approved.", "spam": "Marked as spam.",
		"hide": "Comment hidden.", "no_reply_needed": "Marked as needing no reply.", "reopen": "Back in the inbox.",
		"purged": "Spam purged.", "edited": "Reply updated.", "settings": "Settings saved.", "token": "",
		"assigned": "Comment reassigned.", "alerts": "Alert settings saved.",
		"answer_saved": "Saved answer saved.", "answer_deleted": "Saved answer deleted.",
		"followed_up": "Email sent and note published.",
	}[done]
}

// inboxItem is a comment waiting for an answer, with the comment it
// replies to and its reply deadline.
type inboxItem struct {
	comment.Listed
	Parent *comment.Comment
	Site   string
	SLA    slaInfo
	Tone   toneBadge
}

type listPage struct {
	Items              []inboxItem
	Crises             []crisisBanner // the inbox's banners
	Total, Shown, Next int
	Prev               int
	HasPrev, HasNext   bool
	Filter             map[string]string
}

func (s *Server) withParents(c echo.Context, items []comment.Listed) ([]inboxItem, error) {
	var ids []int64
	for _, it := range items {
		if it.ParentID != 0 {
			ids = append(ids, it.ParentID)
		}
	}
	parents := map[int64]*comment.Comment{}
	if len(ids) > 0 {
		ps, _, err := s.svc.Comments(c.Request().Context(), actor(c), comment.Filter{IDs: ids, Limit: comment.MaxPage})
		if err != nil {
			return nil, err
		}
		for i := range ps {
			parents[ps[i].ID] = &ps[i].Comment
		}
	}
	out := make([]inboxItem, len(items))
	for i, it := range items {
		out[i] = inboxItem{Listed: it, Parent: parents[it.ParentID], Site: s.siteName(it.SiteID), Tone: s.tone(it.Comment)}
	}
	return out, s.withSLA(c, out)
}

func newListPage(items []inboxItem, total, limit, offset int, filter map[string]string) listPage {
	if limit <= 0 || limit > comment.MaxPage {
		limit = 50
	}
	return listPage{Items: items, Total: total, Shown: len(items), Next: offset + limit, Prev: max(offset-limit, 0),
		HasPrev: offset > 0, HasNext: offset+len(items) < total, Filter: filter}
}

// handleInboxPage answers GET /admin/: the comments waiting for an answer.
func (s *Server) handleInboxPage(c echo.Context) error {
	items, total, limit, offset, err := s.inbox(c)
	if err != nil {
		return err
	}
	withParents, err := s.withParents(c, items)
	if err != nil {
		return err
	}
	crises, err := s.openCrises(c)
	if err != nil {
		return err
	}
	p := s.newPage(c, "Inbox", "inbox")
	data := newListPage(withParents, total, limit, offset, map[string]string{"site": c.QueryParam("site"), "thread": c.QueryParam("thread")})
	data.Crises = crises
	p.Data = data
	return s.render(c, http.StatusOK, "inbox", p)
}

// handleCommentsPage answers GET /admin/comments: every comment, filtered.
func (s *Server) handleCommentsPage(c echo.Context) error {
	items, total, f, err := s.comments(c)
	if err != nil {
		return err
	}
	withParents, err := s.withParents(c, items)
	if err != nil {
		return err
	}
	p := s.newPage(c, "Comments", "comments")
	filter := map[string]string{}
	for _, k := range []string{"site", "thread", "status", "state", "q"} {
		filter[k] = c.QueryParam(k)
	}
	p.Data = newListPage(withParents, total, f.Limit, f.Offset, filter)
	return s.render(c, http.StatusOK, "comments", p)
}

// handleCommentPage answers GET /admin/comments/:id: one comment in its
// conversation, with every action.
func (s *Server) handleCommentPage(c echo.Context) error {
	p, err := s.commentPage(c, replyDraft{}, followUpDraft{})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "comment", p)
}

// commentPage fills the comment page; the drafts put back what a reply or
// follow-up form sent when it has to be shown again.
func (s *Server) commentPage(c echo.Context, reply replyDraft, follow followUpDraft) (page, error) {
	id, err := commentID(c)
	if err != nil {
		return page{}, err
	}
	d, err := s.svc.CommentDetail(c.Request().Context(), actor(c), id)
	if err != nil {
		return page{}, err
	}
	p := s.newPage(c, "Comment", "comments")
	// Staff read the history of their own sites' comments, private
	// follow-ups included.
	history, _, err := s.svc.Audit(c.Request().Context(), actor(c), comment.AuditFilter{CommentID: id})
	if err != nil {
		return page{}, err
	}
	sla, err := s.commentSLA(c, d.Comment)
	if err != nil {
		return page{}, err
	}
	box, err := s.replyBox(c, d, reply)
	if err != nil {
		return page{}, err
	}
	p.Data = struct {
		comment.Detail
		commentSLA
		Site     string
		History  []comment.AuditEntry
		Reply    *replyBox
		FollowUp followUpBox
	}{d, sla, s.siteName(d.Comment.SiteID), history, box, s.followUpBox(d, follow)}
	return p, nil
}

// handlePostsPage answers GET /admin/posts.
func (s *Server) handlePostsPage(c echo.Context) error {
	siteID, err := s.scopedSite(c)
	if err != nil {
		return err
	}
	ts, err := s.svc.Threads(c.Request().Context(), actor(c), siteID)
	if err != nil {
		return err
	}
	p := s.newPage(c, "Posts", "posts")
	type row struct {
		comment.ThreadSummary
		Site string
	}
	rows := make([]row, len(ts))
	for i, t := range ts {
		rows[i] = row{t, s.siteName(t.SiteID)}
	}
	p.Data = rows
	return s.render(c, http.StatusOK, "posts", p)
}

// handleAuditPage answers GET /admin/audit (staff see their own sites).
func (s *Server) handleAuditPage(c echo.Context) error {
	f := comment.AuditFilter{}
	f.Limit, f.Offset = pageParams(c)
	entries, total, err := s.svc.Audit(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	p := s.newPage(c, "Audit log", "audit")
	type row struct {
		comment.AuditEntry
		Site string
	}
	rows := make([]row, len(entries))
	for i, e := range entries {
		rows[i] = row{e, s.siteName(e.SiteID)}
	}
	p.Data = struct {
		Rows  []row
		Total int
	}{rows, total}
	return s.render(c, http.StatusOK, "audit", p)
}
