package akismet_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/akismet"
	"github.com/parleyhq/parley/server/comment"
)

func TestCheck(t *testing.T) {
	var mu sync.Mutex // the server's handlers and the test both use got
	got := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/1.1/comment-check" || r.ParseForm() != nil {
			http.Error(w, "bad", 400)
			return
		}
		mu.Lock()
		for k := range r.PostForm {
			got[k] = r.PostForm.Get(k)
		}
		mu.Unlock()
		switch r.PostForm.Get("comment_content") {
		case "spam":
			w.Write([]byte("true"))
		case "ham":
			w.Write([]byte("false"))
		case "slow":
			time.Sleep(300 * time.Millisecond)
			w.Write([]byte("false"))
		case "broken":
			http.Error(w, "down", 503)
		default:
			w.Header().Set("X-akismet-debug-help", "bad key")
			w.Write([]byte("invalid"))
		}
	}))
	defer srv.Close()
	c := akismet.New(srv.URL+"/", "k3y", 100*time.Millisecond)
	cand := func(body string) comment.Candidate {
		return comment.Candidate{Site: "blog", Permalink: "https://blog.example/post/", Author: "Ana", Email: "a@x.example",
			Body: body, ClientAddr: "192.0.2.7", UserAgent: "Firefox"}
	}
	tests := []struct {
		body    string
		spam    bool
		wantErr bool
	}{
		{"spam", true, false}, {"ham", false, false}, {"broken", false, true}, {"weird", false, true}, {"slow", false, true},
	}
	for _, tt := range tests {
		j, err := c.Check(t.Context(), cand(tt.body))
		if j.Spam != tt.spam || (err != nil) != tt.wantErr {
			t.Errorf("%s: spam %v, err %v", tt.body, j.Spam, err)
		}
	}
	if _, err := c.Check(t.Context(), cand("ham")); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for k, want := range map[string]string{"api_key": "k3y", "blog": "https://blog.example", "user_ip": "192.0.2.7",
		"user_agent": "Firefox", "comment_author_email": "a@x.example", "comment_type": "comment"} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
}
