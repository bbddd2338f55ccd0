package web_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/parleyhq/parley/server/markup/markuptest"
)

// FuzzCommentCreate sends arbitrary bodies to the create endpoint: every
// answer is a 201 or a 4xx with a code, never a 5xx.
// go test ./server/web -fuzz FuzzCommentCreate -fuzztime 60s
func FuzzCommentCreate(f *testing.F) {
	for _, seed := range []string{
		`{"url":"/p/","body":"hi"}`, `{"url":"/p/","body":"x","parent_id":1}`, `{"url":"/p/","body":`, `[]`, `null`,
		`{"url":"/p/","body":"a","website":"javascript:1"}`, "{\"url\":\"/p/\",\"body\":\"\xff\"}", `{"url":1}`,
		`{"url":"/p/","body":"a","parent_id":-1}`, `{"url":"/%00/","body":"a"}`, `{"url":"/p/","body":"a"}{"x":1}`,
	} {
		f.Add([]byte(seed))
	}
	// And the attack corpora, as bodies, names and websites.
	for _, name := range []string{"xss-payloads.txt", "blns.txt"} {
		for i, line := range markuptest.Corpus(f, name) {
			if i%25 == 0 {
				b, _ := json.Marshal(map[string]string{"url": "/p/", "body": line, "author": line, "website": line})
				f.Add(b)
				f.Add([]byte(line))
			}
		}
	}
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		h.t = t
		r := h.do("POST", "/api/v1/comments?site=blog", body, "Origin", blogOrigin)
		if r.status >= 500 || (r.status != http.StatusCreated && r.code() == "") {
			t.Fatalf("POST %q: %d %s", body, r.status, r.body)
		}
	})
}
