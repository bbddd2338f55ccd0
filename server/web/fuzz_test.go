package web_test

import (
	"net/http"
	"testing"
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
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		h.t = t
		r := h.do("POST", "/api/v1/comments?site=blog", body, "Origin", blogOrigin)
		if r.status >= 500 || (r.status != http.StatusCreated && r.code() == "") {
			t.Fatalf("POST %q: %d %s", body, r.status, r.body)
		}
	})
}
