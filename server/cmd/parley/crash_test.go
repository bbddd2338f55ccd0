package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver, for PRAGMA integrity_check
)

// The crash test runs the server in a child process, a second copy of this
// test binary, so that it can be killed with SIGKILL: no deferred Close, no
// graceful shutdown, whatever SQLite had not synced is gone.
const (
	crashChildEnv = "PARLEY_CRASH_CHILD" // "1" in the child
	crashArgsEnv  = "PARLEY_CRASH_ARGS"  // the child's arguments to run, one a line
	crashAddrLine = "PARLEY_CRASH_ADDR=" // what the child prints once it listens
)

// TestCrashChild is the server of TestCrashKillLosesNoAcknowledgedComment.
// It runs only in the child process and never returns there: the parent
// kills it. Elsewhere it passes at once; it does not call t.Skip, because
// .ci/run fails on any skipped test.
func TestCrashChild(t *testing.T) {
	if os.Getenv(crashChildEnv) != "1" {
		return
	}
	args := strings.Split(os.Getenv(crashArgsEnv), "\n")
	err := run(context.Background(), args, func(string) string { return "" }, io.Discard, os.Stderr,
		func(addr string) { fmt.Printf("%s%s\n", crashAddrLine, addr) })
	// run returns only if it could not start or serve.
	fmt.Fprintln(os.Stderr, "crash child: run:", err)
	os.Exit(3)
}

// TestCrashKillLosesNoAcknowledgedComment kills the server with SIGKILL in
// the middle of a burst of posts, three times over one database. After each
// restart every post that was answered 201 must be in the thread, and the
// database must pass PRAGMA integrity_check.
func TestCrashKillLosesNoAcknowledgedComment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	// No rate limits and no spam score: the burst comes from one address,
	// and every post must land as a visible comment.
	args := []string{"-addr=127.0.0.1:0", "-db=" + db, "-site=blog=https://blog.example",
		"-rate-post=0", "-rate-site=0", "-spam-score=false", "-log-level=warn"}
	var acked []string
	child := startCrashChild(t, args)
	for round := 1; round <= 3; round++ {
		got, failed := burstUntilKilled(t, child, round, 16, 300*time.Millisecond)
		if len(got) < 10 {
			t.Fatalf("round %d: only %d posts acknowledged before the kill", round, len(got))
		}
		acked = append(acked, got...)
		child = startCrashChild(t, args)
		stored := checkAcknowledged(t, child.addr, acked)
		checkIntegrity(t, db)
		t.Logf("round %d: %d posts answered 201, %d cut off by the kill; after restart %d stored, %d acknowledged in all",
			round, len(got), failed, stored, len(acked))
	}
	child.kill(t)
	checkIntegrity(t, db)
}

// crashChild is a server running in a child process.
type crashChild struct {
	cmd  *exec.Cmd
	addr string
	logs *syncBuffer // the child's stderr
	once sync.Once
}

// startCrashChild starts the server in a copy of this test binary and waits
// until it listens. The child is killed at cleanup if the test has not.
func startCrashChild(t *testing.T, args []string) *crashChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), crashChildEnv+"=1", crashArgsEnv+"="+strings.Join(args, "\n"))
	c := &crashChild{cmd: cmd, logs: &syncBuffer{}}
	cmd.Stderr = c.logs
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}
	t.Cleanup(func() { c.kill(t) })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), crashAddrLine); ok {
				addr <- a
			}
		}
		close(addr) // stdout is closed: the child has exited
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			c.kill(t)
			t.Fatalf("child exited before listening:\n%s", c.logs)
		}
		c.addr = a
	case <-time.After(30 * time.Second):
		c.kill(t)
		t.Fatalf("child did not listen within 30 s:\n%s", c.logs)
	}
	return c
}

// kill sends SIGKILL (once) and waits for the child to be gone.
func (c *crashChild) kill(t *testing.T) {
	c.once.Do(func() {
		if err := c.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("kill child: %v", err)
		}
		c.cmd.Wait() // "signal: killed", which is the point
		if out := c.logs.String(); t.Failed() && out != "" {
			t.Logf("child stderr:\n%s", out)
		}
	})
}

// burstUntilKilled posts from workers goroutines, each on its own
// keep-alive connection, kills the child wait after the first 201, and
// returns the bodies answered 201 and the number of posts that got no answer.
func burstUntilKilled(t *testing.T, child *crashChild, round, workers int, wait time.Duration) (acked []string, failed int) {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: workers}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		statuses = map[int]int{}
		first    = make(chan struct{}) // closed at the first 201
		once     sync.Once
	)
	for w := range workers {
		wg.Go(func() {
			for i := 0; ; i++ {
				body := fmt.Sprintf("crash-r%d-w%02d-i%04d", round, w, i)
				code, err := crashPost(hc, child.addr, body)
				mu.Lock()
				switch {
				case err != nil:
					failed++
				case code == http.StatusCreated:
					acked = append(acked, body)
					once.Do(func() { close(first) })
				default:
					statuses[code]++
				}
				mu.Unlock()
				// The kill ends the burst: every worker stops at its first
				// request without an answer.
				if err != nil {
					return
				}
			}
		})
	}
	// The clock starts at the first answer, so that a slow start (a cold
	// child, a -race build) still leaves a full burst before the kill.
	select {
	case <-first:
	case <-time.After(10 * time.Second):
	}
	time.Sleep(wait)
	// A machine with a slow disk may answer few posts in that time: wait
	// for enough of them (up to 10 s more) so that the kill cuts a burst.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 50 {
			break
		}
	}
	child.kill(t)
	wg.Wait()
	if len(statuses) > 0 {
		t.Errorf("round %d: answers other than 201 before the kill: %v", round, statuses)
	}
	return acked, failed
}

func crashPost(hc *http.Client, addr, body string) (int, error) {
	b, _ := json.Marshal(map[string]string{"url": "/crash/", "author": "Crash", "body": body})
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/api/v1/comments?site=blog", bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://blog.example")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// checkAcknowledged reads the thread through the public API and reports
// every acknowledged body that is not in it; it returns how many comments
// the thread holds.
func checkAcknowledged(t *testing.T, addr string, acked []string) int {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/api/v1/threads?site=blog&url=/crash/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET thread after restart: status %d", resp.StatusCode)
	}
	var th struct {
		Comments []crashNode `json:"comments"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&th); err != nil {
		t.Fatalf("GET thread after restart: %v", err)
	}
	have := map[string]bool{}
	collectHTML(th.Comments, have)
	lost := 0
	for _, body := range acked {
		if !have["<p>"+body+"</p>"] {
			if lost++; lost <= 10 {
				t.Errorf("acknowledged comment %q lost", body)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged comments lost", lost, len(acked))
	}
	return len(have)
}

type crashNode struct {
	HTML    string      `json:"html"`
	Replies []crashNode `json:"replies"`
}

func collectHTML(ns []crashNode, into map[string]bool) {
	for _, n := range ns {
		into[strings.TrimSpace(n.HTML)] = true
		collectHTML(n.Replies, into)
	}
}

// checkIntegrity runs PRAGMA integrity_check on the database file, through
// a connection of its own (WAL mode lets it read while the server runs).
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(t.Context(), "PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	defer rows.Close()
	var result []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatalf("integrity_check: %v", err)
		}
		result = append(result, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	if len(result) != 1 || result[0] != "ok" {
		t.Errorf("integrity_check: %q", result)
	}
}
