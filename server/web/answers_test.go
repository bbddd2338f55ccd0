package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/server/answer"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/store/storetest"
)

type answerAnswer struct {
	ID         int64   `json:"id"`
	Site       string  `json:"site"`
	Title      string  `json:"title"`
	Body       string  `json:"body"`
	Uses       int     `json:"uses"`
	LastUsedAt *string `json:"last_used_at"`
	Filled     string  `json:"filled"`
}

// saveAnswer creates a saved answer through the API and returns it.
func (sc *staffClient) saveAnswer(site, title, body string) answerAnswer {
	sc.h.t.Helper()
	b, _ := json.Marshal(map[string]string{"title": title, "body": body})
	r := sc.call("POST", "/api/v1/admin/sites/"+site+"/answers", string(b))
	if r.status != 201 {
		sc.h.t.Fatalf("save answer %q: %d %s", title, r.status, r.body)
	}
	var out struct{ Answer answerAnswer }
	r.json(sc.h.t, &out)
	return out.Answer
}

func (h *harness) answerUses(id int64) int {
	h.t.Helper()
	a, err := h.st.FindAnswerByID(h.t.Context(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return a.Uses
}

func TestSavedAnswersAPI(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) { testSavedAnswersAPI(t, newAdminFixture(t, engine)) })
	}
}

func testSavedAnswersAPI(t *testing.T, f *adminFixture) {
	h, a, b, owner := f.h, f.blogA, f.otherB, f.owner
	const body = "Γεια σας {name}, about {post_title}: it ships to Łódź and Đakovo too. — {staff_name}"
	ans := a.saveAnswer("blog", "Shipping", body)
	if ans.Site != "blog" || ans.Body != body || ans.Uses != 0 || ans.LastUsedAt != nil {
		t.Errorf("created %+v", ans)
	}

	t.Run("refused input", func(t *testing.T) {
		for _, tt := range []struct {
			body, code, field string
			status            int
		}{
			{`{"title":"Shipping","body":"again"}`, "conflict", "title", 409},
			{`{"title":"x","body":"Hi {customer}"}`, "invalid", "body", 422},
			{`{"title":"","body":"x"}`, "invalid", "title", 422},
			{`{"title":"x","body":"  "}`, "invalid", "body", 422},
			{`{"title":1}`, "bad_json", "title", 400},
			{``, "empty_body", "", 400},
		} {
			r := a.call("POST", "/api/v1/admin/sites/blog/answers", tt.body)
			var e struct {
				Error struct{ Code, Field, Message string }
			}
			_ = json.Unmarshal(r.body, &e)
			if r.status != tt.status || e.Error.Code != tt.code || e.Error.Field != tt.field {
				t.Errorf("%s: %d %s", tt.body, r.status, r.body)
			}
		}
		// Without the CSRF token a session cannot save.
		r := h.do("POST", "/api/v1/admin/sites/blog/answers", []byte(`{"title":"t","body":"b"}`), "Cookie", "parley_session="+a.cookie)
		if r.status != 403 {
			t.Errorf("save without CSRF token: %d %s", r.status, r.body)
		}
	})

	t.Run("scope", func(t *testing.T) {
		id := fmt.Sprint(ans.ID)
		for _, tt := range []struct{ method, path, body string }{
			{"GET", "/api/v1/admin/sites/blog/answers", ""},
			{"POST", "/api/v1/admin/sites/blog/answers", `{"title":"t","body":"b"}`},
			{"PATCH", "/api/v1/admin/answers/" + id, `{"body":"hijacked"}`},
			{"DELETE", "/api/v1/admin/answers/" + id, ""},
			{"GET", fmt.Sprintf("/api/v1/admin/comments/%d/answers", f.blogComment.Comment.ID), ""},
			{"GET", "/admin/answers?site=blog", ""},
		} {
			r := b.call(tt.method, tt.path, tt.body)
			if r.status != 404 || contains(r.body, "Shipping") {
				t.Errorf("%s %s as staff of another site: %d %.200s", tt.method, tt.path, r.status, r.body)
			}
		}
		for _, path := range []string{"/admin/answers/" + id, "/admin/answers/" + id + "/delete"} {
			if r := b.form(path, url.Values{"title": {"x"}, "body": {"x"}}); r.status != 404 {
				t.Errorf("POST %s as staff of another site: %d", path, r.status)
			}
		}
		if r := b.form("/admin/answers", url.Values{"site": {"blog"}, "title": {"x"}, "body": {"x"}}); r.status != 404 {
			t.Errorf("create on another site's page: %d", r.status)
		}
		// An answer of another site cannot be sent on this site's comment.
		otherAns := b.saveAnswer("other", "Other", "Hello from other")
		r := owner.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", f.blogComment.Comment.ID),
			fmt.Sprintf(`{"body":"Hello from other, and more","answer_id":%d}`, otherAns.ID))
		if r.status != 404 {
			t.Errorf("reply with another site's answer: %d %s", r.status, r.body)
		}
		if got := h.answerUses(ans.ID); got != 0 {
			t.Errorf("uses %d after refused replies", got)
		}
		// Owners and the site's staff both manage the library.
		if r := owner.call("GET", "/api/v1/admin/sites/blog/answers", ""); r.status != 200 || !contains(r.body, "Shipping") {
			t.Errorf("owner list: %d %s", r.status, r.body)
		}
	})

	t.Run("edit and delete", func(t *testing.T) {
		extra := owner.saveAnswer("blog", "Refunds", "Refunds take {date}.")
		r := a.call("PATCH", fmt.Sprintf("/api/v1/admin/answers/%d", extra.ID), `{"title":"Refunds (EU)"}`)
		var out struct{ Answer answerAnswer }
		r.json(t, &out)
		if r.status != 200 || out.Answer.Title != "Refunds (EU)" || out.Answer.Body != "Refunds take {date}." {
			t.Errorf("patch title: %d %s", r.status, r.body)
		}
		if r := a.call("PATCH", fmt.Sprintf("/api/v1/admin/answers/%d", extra.ID), `{"title":"Shipping"}`); r.status != 409 {
			t.Errorf("rename onto a taken title: %d %s", r.status, r.body)
		}
		if r := a.call("DELETE", fmt.Sprintf("/api/v1/admin/answers/%d", extra.ID), ""); r.status != 204 {
			t.Errorf("delete: %d %s", r.status, r.body)
		}
		if r := a.call("DELETE", fmt.Sprintf("/api/v1/admin/answers/%d", extra.ID), ""); r.status != 404 {
			t.Errorf("delete twice: %d", r.status)
		}
		// The library's changes are in the audit log, with who and what.
		var audit struct {
			Items []struct{ Action, Reason, Detail, User string }
		}
		owner.call("GET", "/api/v1/admin/audit?site=blog", "").json(t, &audit)
		var seen []string
		for _, e := range audit.Items {
			if e.Action == "saved_answer" && strings.HasPrefix(e.Detail, "Refunds") {
				seen = append(seen, e.Reason)
			}
		}
		if !slices.Equal(seen, []string{"deleted", "changed", "created"}) {
			t.Errorf("audit of the saved answer Refunds: %v, want deleted, changed, created (newest first)", seen)
		}
		var list struct{ Answers []answerAnswer }
		a.call("GET", "/api/v1/admin/sites/blog/answers", "").json(t, &list)
		if len(list.Answers) != 1 || list.Answers[0].ID != ans.ID {
			t.Errorf("list after delete: %+v", list.Answers)
		}
	})

	t.Run("reply", func(t *testing.T) {
		id := f.blogComment.Comment.ID
		var picked struct{ Answers []answerAnswer }
		a.call("GET", fmt.Sprintf("/api/v1/admin/comments/%d/answers", id), "").json(t, &picked)
		if len(picked.Answers) != 1 {
			t.Fatalf("answers for the comment: %+v", picked.Answers)
		}
		filled := picked.Answers[0].Filled
		if want := "Γεια σας Reader, about Post: it ships to Łódź and Đakovo too. — ana"; filled != want {
			t.Fatalf("filled = %q, want %q", filled, want)
		}
		path := fmt.Sprintf("/api/v1/admin/comments/%d/reply", id)
		send := func(body string, asIs bool) response {
			b, _ := json.Marshal(map[string]any{"body": body, "answer_id": ans.ID, "as_is": asIs})
			return a.call("POST", path, string(b))
		}
		rows := h.countRows()
		// Unchanged (up to line ends and spaces): asked to personalise, nothing sent.
		r := send(strings.ReplaceAll(filled, " ", "\r\n  ")+"\n", false)
		if r.status != 409 || r.code() != string(answer.NotPersonalised) || !contains(r.body, "Personalise it?") {
			t.Fatalf("unchanged answer: %d %s", r.status, r.body)
		}
		if h.countRows() != rows || h.answerUses(ans.ID) != 0 {
			t.Errorf("a refused reply was stored or counted")
		}
		// Sent as is on purpose: published, answered, counted once.
		if r := send(filled, true); r.status != 201 {
			t.Fatalf("as is: %d %s", r.status, r.body)
		}
		if h.countRows() != rows+1 || h.answerUses(ans.ID) != 1 {
			t.Errorf("rows %d (want %d), uses %d (want 1)", h.countRows(), rows+1, h.answerUses(ans.ID))
		}
		c, _ := h.st.FindCommentByID(t.Context(), id)
		if c.ReplyState != comment.ReplyAnswered {
			t.Errorf("the comment is %s, want answered", c.ReplyState)
		}
		// Personalised: sent without a question, counted.
		second := h.mustPost("blog", map[string]any{"url": "/post/", "author": "Ζωή", "body": "And to Crete?"})
		var again struct{ Answers []answerAnswer }
		a.call("GET", fmt.Sprintf("/api/v1/admin/comments/%d/answers", second.Comment.ID), "").json(t, &again)
		b, _ := json.Marshal(map[string]any{"body": again.Answers[0].Filled + " Crete included.", "answer_id": ans.ID})
		if r := a.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", second.Comment.ID), string(b)); r.status != 201 {
			t.Fatalf("personalised: %d %s", r.status, r.body)
		}
		if got := h.answerUses(ans.ID); got != 2 {
			t.Errorf("uses %d, want 2", got)
		}
		// A reply without a saved answer is not asked about, however short.
		third := h.mustPost("blog", map[string]any{"url": "/post/", "body": "Thanks!"})
		if r := a.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", third.Comment.ID), `{"body":"Γεια σας"}`); r.status != 201 {
			t.Errorf("plain reply: %d %s", r.status, r.body)
		}
		if got := h.answerUses(ans.ID); got != 2 {
			t.Errorf("uses %d after a plain reply, want 2", got)
		}
	})

	t.Run("replies sent at once all count", func(t *testing.T) {
		before := h.answerUses(ans.ID)
		var ids []int64
		for i := range 6 {
			ids = append(ids, h.mustPost("blog", map[string]any{"url": "/post/", "body": fmt.Sprintf("Question %d", i)}).Comment.ID)
		}
		var wg sync.WaitGroup
		for _, id := range ids {
			wg.Go(func() {
				b, _ := json.Marshal(map[string]any{"body": "Hi, it ships.", "answer_id": ans.ID, "as_is": true})
				if r := a.call("POST", fmt.Sprintf("/api/v1/admin/comments/%d/reply", id), string(b)); r.status != 201 {
					t.Errorf("reply to %d: %d %s", id, r.status, r.body)
				}
			})
		}
		wg.Wait()
		if got := h.answerUses(ans.ID); got != before+len(ids) {
			t.Errorf("uses %d, want %d", got, before+len(ids))
		}
	})
}

func TestSavedAnswersPanel(t *testing.T) {
	f := newAdminFixture(t, "sqlite")
	h, a := f.h, f.blogA
	id := f.blogComment.Comment.ID

	// Create, with a mistake first: the page comes back with the text kept.
	r := a.form("/admin/answers", url.Values{"site": {"blog"}, "title": {"Shipping"}, "body": {"Hi {nmae}, it ships."}})
	if r.status != 422 || !contains(r.body, "Unknown placeholder {nmae}") || !contains(r.body, "Hi {nmae}, it ships.") {
		t.Fatalf("bad placeholder: %d %.500s", r.status, r.body)
	}
	r = a.form("/admin/answers", url.Values{"site": {"blog"}, "title": {"Shipping"}, "body": {"Hi {name}, it ships to {{your}} country."}})
	if r.status != 303 || !strings.Contains(r.header.Get("Location"), "done=answer_saved") {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	r = h.do("POST", "/admin/answers", []byte("site=blog&title=t&body=b"), "Cookie", "parley_session="+a.cookie,
		"Content-Type", "application/x-www-form-urlencoded")
	if r.status != 403 {
		t.Errorf("create without CSRF token: %d", r.status)
	}
	list, err := h.st.FindAnswers(t.Context(), f.blogSiteID())
	if err != nil || len(list) != 1 {
		t.Fatalf("answers %+v %v", list, err)
	}
	ans := list[0]
	page := a.page("/admin/answers?site=blog")
	if !strings.Contains(page, "<h2>Shipping</h2>") || !strings.Contains(page, "it ships to {{your}} country.") || !strings.Contains(page, "used 0 times") {
		t.Errorf("the page lacks the answer: %s", between(page, `class="adm-answers"`, "</ul>"))
	}

	// The comment page's picker holds the answer filled in for the reader.
	filled := "Hi Reader, it ships to {your} country."
	page = a.page(fmt.Sprintf("/admin/comments/%d", id))
	if !strings.Contains(page, `data-body="`+html.EscapeString(filled)+`"`) {
		t.Errorf("the picker lacks the filled answer:\n%s", between(page, `class="adm-picker"`, "</select>"))
	}
	// Without script, Insert reloads the page with the answer in the box.
	r = a.form(fmt.Sprintf("/admin/comments/%d/reply", id), url.Values{"pick": {fmt.Sprint(ans.ID)}, "insert": {"1"}, "body": {""}})
	if r.status != 200 || !contains(r.body, ">"+html.EscapeString(filled)+"</textarea>") ||
		!contains(r.body, fmt.Sprintf(`name="answer_id" value="%d"`, ans.ID)) {
		t.Fatalf("insert: %d %s", r.status, between(string(r.body), `class="adm-reply"`, "</form>"))
	}
	// Sent unchanged: the page asks to personalise, keeping the text.
	reply := url.Values{"body": {filled + "\r\n"}, "answer_id": {fmt.Sprint(ans.ID)}}
	r = a.form(fmt.Sprintf("/admin/comments/%d/reply", id), reply)
	if r.status != 409 || !contains(r.body, "Personalise it?") || !contains(r.body, `name="as_is"`) || !contains(r.body, html.EscapeString(filled)) {
		t.Fatalf("unchanged: %d %s", r.status, between(string(r.body), `class="adm-reply"`, "</form>"))
	}
	if h.answerUses(ans.ID) != 0 {
		t.Error("counted before it was sent")
	}
	reply.Set("as_is", "1")
	reply.Set("return", fmt.Sprintf("/admin/comments/%d", id))
	if r = a.form(fmt.Sprintf("/admin/comments/%d/reply", id), reply); r.status != 303 {
		t.Fatalf("send as is: %d %s", r.status, r.body)
	}
	if h.answerUses(ans.ID) != 1 {
		t.Errorf("uses %d, want 1", h.answerUses(ans.ID))
	}
	if page = a.page("/admin/answers?site=blog"); !strings.Contains(page, "used 1 time") {
		t.Errorf("the page does not show the use: %s", between(page, `class="adm-answers"`, "</ul>"))
	}

	// Edit with a mistake keeps the text; then fixed; then deleted.
	r = a.form(fmt.Sprintf("/admin/answers/%d", ans.ID), url.Values{"title": {"Shipping"}, "body": {"{oops}"}})
	if r.status != 422 || !contains(r.body, "{oops}") {
		t.Errorf("bad edit: %d", r.status)
	}
	if r = a.form(fmt.Sprintf("/admin/answers/%d", ans.ID), url.Values{"title": {"Shipping EU"}, "body": {"Hi {name}"}}); r.status != 303 {
		t.Errorf("edit: %d %s", r.status, r.body)
	}
	if r = a.form(fmt.Sprintf("/admin/answers/%d/delete", ans.ID), url.Values{}); r.status != 303 {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
	if _, err := h.st.FindAnswerByID(t.Context(), ans.ID); comment.CodeOf(err) != comment.NotFound {
		t.Errorf("after delete: %v", err)
	}
}

func (f *adminFixture) blogSiteID() int64 {
	site, err := f.h.svc.Site("blog")
	if err != nil {
		f.h.t.Fatal(err)
	}
	return site.ID
}

// between is the part of s from the first from to the next to, for
// failure messages.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return "(no " + from + ")"
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(to)]
}
