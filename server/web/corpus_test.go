package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/server/markup/markuptest"
)

// TestCorporaThroughAPI posts every line of the XSS and naughty-strings
// corpora as a comment body, as an author name and as a website. Each post
// is stored and served with nothing a browser could run, or refused with a
// 4xx code; the server never answers 5xx.
func TestCorporaThroughAPI(t *testing.T) { forEachEngine(t, testCorporaThroughAPI) }

func testCorporaThroughAPI(t *testing.T, h *harness) {
	type job struct {
		field, value, page string
	}
	var jobs []job
	for _, name := range []string{"xss-payloads.txt", "blns.txt"} {
		for i, line := range markuptest.Corpus(t, name) {
			page := fmt.Sprintf("/%s/%d/", strings.TrimSuffix(name, ".txt"), i/500)
			for _, field := range []string{"body", "author", "website"} {
				jobs = append(jobs, job{field, line, page})
			}
		}
	}
	var mu sync.Mutex
	stored, refused := map[string]int{}, map[string]int{}
	pages := map[string]bool{}
	work := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				fields := map[string]any{"url": j.page, "body": "corpus"}
				fields[j.field] = j.value
				r := h.post("blog", fields)
				mu.Lock()
				switch {
				case r.status == 201:
					stored[j.field]++
					pages[j.page] = true
				case r.status >= 400 && r.status < 500 && r.code() != "":
					refused[j.field]++
				default:
					t.Errorf("%s=%q: %d %s", j.field, j.value, r.status, r.body)
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	t.Logf("stored %v, refused %v", stored, refused)
	if stored["body"] < len(jobs)/3*9/10 {
		t.Errorf("only %d bodies stored of %d: the sanitiser should clean, not refuse", stored["body"], len(jobs)/3)
	}

	// Everything stored, shown or held by the checks, must be safe: staff
	// read held comments in the admin panel.
	seen := 0
	blog, _ := h.svc.Site("blog")
	for page := range pages {
		th, err := h.st.FindThread(t.Context(), blog.ID, page)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := h.st.FindThreadComments(t.Context(), th.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			seen++
			if why := markuptest.Unsafe(c.HTML); why != "" {
				t.Errorf("comment %d html %q: %s", c.ID, c.HTML, why)
			}
			if strings.ContainsAny(c.Author, "<>") {
				t.Errorf("comment %d author %q holds markup", c.ID, c.Author)
			}
			if c.Website != "" {
				u, err := url.Parse(c.Website)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || strings.ContainsAny(c.Website, "\"'<> ") {
					t.Errorf("comment %d website %q", c.ID, c.Website)
				}
			}
		}
		// And the public thread serves only what passed.
		var walk func([]commentAnswer)
		walk = func(cs []commentAnswer) {
			for _, c := range cs {
				if why := markuptest.Unsafe(c.HTML); why != "" {
					t.Errorf("public comment %d html %q: %s", c.ID, c.HTML, why)
				}
				walk(c.Replies)
			}
		}
		walk(h.thread("blog", url.QueryEscape(page)).Comments)
	}
	total := stored["body"] + stored["author"] + stored["website"]
	if seen != total {
		t.Errorf("read back %d comments, stored %d", seen, total)
	}
}
