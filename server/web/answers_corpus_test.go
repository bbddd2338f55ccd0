package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup/markuptest"
)

// corpusChunks joins the lines of the XSS and naughty-strings corpora into
// texts of at most max characters.
func corpusChunks(t *testing.T, max int) [][]string {
	var chunks [][]string
	var cur []string
	n := 0
	for _, name := range []string{"xss-payloads.txt", "blns.txt"} {
		for _, line := range markuptest.Corpus(t, name) {
			if l := utf8.RuneCountInString(line) + 1; n+l > max && len(cur) > 0 {
				chunks, cur, n = append(chunks, cur), nil, 0
			}
			cur = append(cur, line)
			n += utf8.RuneCountInString(line) + 1
		}
	}
	return append(chunks, cur)
}

// panelSafe fails unless a panel page, parsed as a browser does, holds no
// script but the panel's own, no event handler attribute, no element that
// loads or runs anything and no javascript:, vbscript: or data: address:
// whatever staff or readers wrote was shown as text.
func panelSafe(t *testing.T, what, page string) {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[strings.ToLower(a.Key)] = a.Val
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || strings.EqualFold(a.Key, "style") || strings.EqualFold(a.Key, "srcdoc") {
					t.Errorf("%s: <%s %s=%q>", what, n.Data, a.Key, a.Val)
				}
				v := strings.ToLower(strings.Join(strings.FieldsFunc(a.Val, func(r rune) bool { return r <= ' ' }), ""))
				switch strings.ToLower(a.Key) {
				case "href", "src", "action", "formaction", "data", "poster", "background":
					if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:") {
						t.Errorf("%s: <%s %s=%q>", what, n.Data, a.Key, a.Val)
					}
				}
			}
			switch n.Data {
			case "script":
				if attr["src"] != "/admin/static/admin.js" || n.FirstChild != nil {
					t.Errorf("%s: a script that is not the panel's: %v", what, n.Attr)
				}
			case "link":
				if attr["rel"] != "stylesheet" || !strings.HasPrefix(attr["href"], "/") {
					t.Errorf("%s: <link %v>", what, n.Attr)
				}
			case "iframe", "object", "embed", "svg", "math", "img", "video", "audio", "frame", "frameset", "applet", "base", "style", "template":
				t.Errorf("%s: element <%s %v>", what, n.Data, n.Attr)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// TestCorporaInAnswersAndFollowUps saves every line of the XSS and
// naughty-strings corpora in saved answers (titles and bodies), inserts them
// into a reply box, and sends them as private follow-ups (subject, message,
// public note). The pages that show them stay free of anything a browser
// would run.
func TestCorporaInAnswersAndFollowUps(t *testing.T) {
	f := newMailFixture(t, "sqlite", 1000)
	h, a := f.h, f.blogA
	id := f.blogComment.Comment.ID
	chunks := corpusChunks(t, 9000)
	var titles []string
	for i, lines := range chunks {
		// Braces doubled: a corpus line is text, not placeholders.
		body := strings.NewReplacer("{", "{{", "}", "}}").Replace(strings.Join(lines, "\n"))
		title := fmt.Sprintf("%d %s", i, lines[0])
		if utf8.RuneCountInString(title) > 100 {
			title = string([]rune(title)[:100])
		}
		b, _ := json.Marshal(map[string]string{"title": title, "body": body})
		r := a.call("POST", "/api/v1/admin/sites/blog/answers", string(b))
		if r.status != 201 {
			t.Fatalf("answer %d: %d %s", i, r.status, r.body)
		}
		var out struct{ Answer answerAnswer }
		r.json(t, &out)
		titles = append(titles, out.Answer.Title)
	}
	page := a.page("/admin/answers?site=blog")
	panelSafe(t, "saved answers page", page)
	for _, title := range titles {
		if !strings.Contains(page, html.EscapeString(title)) {
			t.Errorf("the page does not show the title %q as text", title)
		}
	}
	page = a.page(fmt.Sprintf("/admin/comments/%d", id))
	panelSafe(t, "comment page with the picker", page)
	var picked struct{ Answers []answerAnswer }
	a.call("GET", fmt.Sprintf("/api/v1/admin/comments/%d/answers", id), "").json(t, &picked)
	if len(picked.Answers) != len(chunks) {
		t.Fatalf("%d answers to pick, want %d", len(picked.Answers), len(chunks))
	}
	for _, ans := range picked.Answers {
		// Filled in, each answer is its corpus lines as text (doubled
		// braces undone, control characters dropped as from any text).
		i, _ := strconv.Atoi(strings.Fields(ans.Title)[0])
		if want := comment.CleanText(strings.Join(chunks[i], "\n")); ans.Filled != want {
			t.Errorf("answer %q filled as %.80q", ans.Title, ans.Filled)
		}
	}

	for i, lines := range chunks {
		msg := strings.Join(lines, "\n")
		r := a.followUp(id, map[string]any{"subject": lines[0], "message": msg, "note": lines[len(lines)-1]})
		if r.status != 201 && (r.status < 400 || r.status >= 500 || r.code() == "") {
			t.Errorf("follow-up %d: %d %s", i, r.status, r.body)
		}
	}
	panelSafe(t, "comment page with the history", a.page(fmt.Sprintf("/admin/comments/%d", id)))
	panelSafe(t, "audit page", a.page("/admin/audit"))
	var walk func([]commentAnswer)
	walk = func(cs []commentAnswer) {
		for _, c := range cs {
			if why := markuptest.Unsafe(c.HTML); why != "" {
				t.Errorf("public note %d: %s", c.ID, why)
			}
			walk(c.Replies)
		}
	}
	walk(h.thread("blog", "/post/").Comments)
	if n := len(f.smtp.Messages()); n < len(chunks)*9/10 {
		t.Errorf("%d of %d follow-ups sent", n, len(chunks))
	}
}
