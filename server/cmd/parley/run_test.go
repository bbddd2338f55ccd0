package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/store"
)

// startRun runs the program in the background and returns its address and a
// function that stops it and returns run's error.
func startRun(t *testing.T, args ...string) (addr string, stop func() error, logs *bytes.Buffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	logs = &bytes.Buffer{}
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) })
	go func() {
		done <- run(ctx, args, func(string) string { return "" }, io.Discard, w, func(a string) { ready <- a })
	}()
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run returned before listening: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("run did not start")
	}
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}
	t.Cleanup(func() { stop() })
	return addr, stop, logs
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func postComment(addr, origin, site, body string) (int, error) {
	b, _ := json.Marshal(map[string]any{"url": "/e2e/", "author": "E2E", "body": body})
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/comments?site="+site, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", origin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestRunServesAndKeepsCommentsAcrossRestarts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	args := []string{"-addr=127.0.0.1:0", "-db=" + db, "-site=blog=https://blog.example"}
	addr, stop, _ := startRun(t, args...)
	if code, err := postComment(addr, "https://blog.example", "blog", "persisted"); err != nil || code != 201 {
		t.Fatalf("post: %d %v", code, err)
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	addr, _, _ = startRun(t, args...)
	resp, err := http.Get("http://" + addr + "/api/v1/threads?site=blog&url=/e2e/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "persisted") {
		t.Errorf("after restart: %s", b)
	}
}

func TestRunDemoServesBlogAndSeed(t *testing.T) {
	addr, _, _ := startRun(t, "-demo", "-addr=127.0.0.1:0", "-db="+filepath.Join(t.TempDir(), "d.db"))
	for _, u := range []string{"/demo/", "/embed.js", "/themes/auto.css"} {
		resp, err := http.Get("http://" + addr + u)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", u, resp, err)
		}
		resp.Body.Close()
	}
	resp, _ := http.Get("http://" + addr + "/api/v1/threads?site=demo&url=/demo/")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"official":true`) {
		t.Errorf("demo thread has no staff answer: %s", b)
	}
	// The demo site takes comments from the page Parley itself serves.
	if code, _ := postComment(addr, "http://"+addr, "demo", "from the demo page"); code != 201 {
		t.Errorf("post from the demo origin: %d", code)
	}
	if code, _ := postComment(addr, "https://evil.example", "demo", "x"); code != 403 {
		t.Errorf("post from another origin: %d", code)
	}
}

// TestRunShutdownLosesNoAcknowledgedComment stops the server in the middle of
// a burst of posts: every post answered 201 must be in the database.
func TestRunShutdownLosesNoAcknowledgedComment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	addr, stop, _ := startRun(t, "-addr=127.0.0.1:0", "-db="+db, "-site=blog=https://blog.example", "-rate-post=0", "-rate-site=0")
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				body := fmt.Sprintf("burst %d-%d", w, i)
				code, err := postComment(addr, "https://blog.example", "blog", body)
				if err != nil || code != 201 {
					return
				}
				mu.Lock()
				acked = append(acked, body)
				mu.Unlock()
			}
		}()
	}
	// Stop in the middle of the burst: once a few posts went through (a
	// busy machine may take a while to get there).
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 50 {
			break
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	wg.Wait()
	if len(acked) < 10 {
		t.Fatalf("only %d posts acknowledged before the stop", len(acked))
	}
	st, err := store.Open(t.Context(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sites, _ := st.FindSites(t.Context())
	th, err := st.FindThread(t.Context(), sites[0].ID, "/e2e/")
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := st.FindThreadComments(t.Context(), th.ID)
	have := map[string]bool{}
	for _, c := range cs {
		have[c.Body] = true
	}
	for _, body := range acked {
		if !have[body] {
			t.Errorf("acknowledged comment %q lost", body)
		}
	}
	t.Logf("%d acknowledged, %d stored", len(acked), len(cs))
}

func TestRunRefusesBadConfigListingAllProblems(t *testing.T) {
	err := run(t.Context(), []string{"-site=Bad=x", "-log-format=xml"}, func(string) string { return "" },
		io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "Bad") || !strings.Contains(err.Error(), "xml") {
		t.Errorf("run with bad config: %v", err)
	}
}
