package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/server/comment"
)

// TestBrowser runs the real server with the demo blog and drives the embed
// in headless Chromium: it posts a comment, replies to it, edits the reply,
// reloads, and checks the comment counts and the translated pages. It saves
// screenshots into PARLEY_SCREENSHOT_DIR (or a temporary directory).
func TestBrowser(t *testing.T) {
	if os.Getenv("PARLEY_TEST_CHROME") == "" {
		t.Skip("PARLEY_TEST_CHROME not set: browser test skipped")
	}
	base := "http://" + startServer(t, func(string) string { return "" }) + "/demo/"
	tab := startBrowser(t, 90*time.Second)
	problems := watchConsole(tab)

	do(t, tab, "open the demo post",
		chromedp.Navigate(base),
		waitJS(`document.querySelectorAll('#parley .parley-item').length >= 2`))
	if got := evalString(t, tab, `document.querySelector('.parley-staff')?.textContent`); got != "Staff" {
		t.Errorf("staff badge = %q, want %q", got, "Staff")
	}

	const first = "Hello from the **browser test**. Does Rover climb ramps?"
	do(t, tab, "post a comment",
		chromedp.SendKeys(chromedp.CSS(`.parley > form textarea[name=body]`), first),
		chromedp.SendKeys(chromedp.CSS(`.parley > form input[name=author]`), "Test Reader"),
		chromedp.SendKeys(chromedp.CSS(`.parley > form input[name=email]`), "reader@example.com"),
		likeAReader(),
		chromedp.Click(chromedp.CSS(`.parley > form .parley-primary`)),
		waitJS(itemWith("Does Rover climb ramps?")))
	parent := evalString(t, tab, itemWith("Does Rover climb ramps?")+`.id`)
	if got := evalString(t, tab, `document.activeElement.id`); got != parent {
		t.Errorf("focus after posting is on %q, want the new comment %q", got, parent)
	}
	if got := evalString(t, tab, `document.querySelector('#`+parent+` .parley-html strong')?.textContent`); got != "browser test" {
		t.Errorf("markdown of the new comment: <strong> = %q, want %q", got, "browser test")
	}

	const second = "Yes, ramps up to 5 % are fine."
	do(t, tab, "reply through the inline form",
		chromedp.Click(chromedp.CSS(`#`+parent+` .parley-acts button:nth-child(1)`)),
		chromedp.WaitVisible(chromedp.CSS(`#`+parent+` form textarea[name=body]`)))
	if got := evalString(t, tab, `document.querySelector('#`+parent+` form input[name=author]').value`); got != "Test Reader" {
		t.Errorf("the reply form remembers the name %q, want %q", got, "Test Reader")
	}
	do(t, tab, "send the reply",
		chromedp.SendKeys(chromedp.CSS(`#`+parent+` form textarea[name=body]`), second),
		likeAReader(),
		chromedp.Click(chromedp.CSS(`#`+parent+` form .parley-primary`)),
		waitJS(`document.querySelector('#`+parent+`').parentElement.querySelector(':scope > ol .parley-html')?.textContent.includes('ramps up to 5 %')`))
	reply := evalString(t, tab, itemWith("ramps up to 5 %")+`.id`)

	const edited = "Yes, ramps up to **8 %** are fine (edited)."
	do(t, tab, "open the edit form",
		chromedp.Click(chromedp.CSS(`#`+reply+` .parley-acts button:nth-child(2)`)),
		chromedp.WaitVisible(chromedp.CSS(`#`+reply+` form textarea[name=body]`)))
	if got := evalString(t, tab, `document.querySelector('#`+reply+` form textarea').value`); got != second {
		t.Errorf("the edit form holds %q, want the Markdown typed: %q", got, second)
	}
	do(t, tab, "save the edit",
		chromedp.SetValue(chromedp.CSS(`#`+reply+` form textarea[name=body]`), edited),
		chromedp.Click(chromedp.CSS(`#`+reply+` form .parley-primary`)),
		waitJS(`document.querySelector('#`+reply+` .parley-edited') && document.querySelector('#`+reply+` .parley-html')?.textContent.includes('8 %')`))
	checkCount(t, tab, "4 comments")

	do(t, tab, "reload", chromedp.Reload(), waitJS(itemWith("8 %")))
	thread := evalString(t, tab, `document.querySelector('#parley').textContent`)
	for _, want := range []string{"Does Rover climb ramps?", "Test Reader", "Yes, ramps up to 8 % are fine (edited).", "edited"} {
		if !strings.Contains(thread, want) {
			t.Errorf("after the reload the thread lacks %q", want)
		}
	}
	if strings.Contains(thread, "ramps up to 5 %") {
		t.Error("after the reload the thread still shows the text from before the edit")
	}
	if n := evalString(t, tab, `String(document.querySelectorAll('#`+reply+` .parley-acts button').length)`); n != "3" {
		t.Errorf("own reply after the reload has %s buttons, want 3 (Reply, Edit, Delete)", n)
	}
	checkCount(t, tab, "4 comments")

	// Another reader's comment appears without a reload (server-sent events).
	evalString(t, tab, `window.parleyNoReload = true`)
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/demo/")
	postAs(t, addr, "/demo/", "Eleni", "Live from another reader: does Rover ship to Greece?")
	do(t, tab, "see it live", waitJS(itemWith("Live from another reader")+` && window.parleyNoReload === true`))
	checkCount(t, tab, "5 comments")
	if got := evalString(t, tab, `document.querySelector('.parley-sr').textContent`); got != "The comments were updated." {
		t.Errorf("the live region says %q", got)
	}
	screenshot(t, tab, "demo-laptop.png")

	// The translated posts: the embed follows <html lang>, with plural forms.
	do(t, tab, "open the Greek post", chromedp.Navigate(base+"el/"), waitJS(`document.querySelector('.parley-title')?.textContent == '0 σχόλια'`))
	do(t, tab, "open the Polish post", chromedp.Navigate(base+"pl/"), waitJS(`document.querySelector('.parley-title')?.textContent == '0 komentarzy'`))
	// A comment sent at once, as a bot would, is held: only its author sees
	// it, marked as awaiting approval, also after a reload.
	const quick = "Szybki komentarz"
	do(t, tab, "post at once",
		chromedp.SendKeys(chromedp.CSS(`.parley > form textarea[name=body]`), quick),
		chromedp.Click(chromedp.CSS(`.parley > form .parley-primary`)),
		waitJS(itemWith(quick)+`?.querySelector('.parley-held')?.textContent == 'Oczekuje na zatwierdzenie'`),
		chromedp.Reload(),
		waitJS(itemWith(quick)+`?.querySelector('.parley-held')`))
	if got := evalString(t, tab, `document.querySelector('.parley-title').textContent`); got != "0 komentarzy" {
		t.Errorf("the held comment is counted: %q", got)
	}
	do(t, tab, "Polish counts", waitJS(`document.querySelector('aside [data-parley-count="/demo/"]').textContent == '5 komentarzy'`))

	// A phone in dark mode.
	do(t, tab, "phone, dark",
		chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
			return err
		}),
		chromedp.Navigate(base), waitJS(itemWith("8 %")))
	screenshot(t, tab, "demo-phone-dark.png")

	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}

// startServer runs the whole program with the demo blog and returns the
// address it listens on. The server stops when the test ends.
func startServer(t testing.TB, getenv func(string) string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var logs syncBuffer
	addrc, done := make(chan string, 1), make(chan error, 1)
	args := []string{"-demo", "-addr=127.0.0.1:0", "-db=" + filepath.Join(t.TempDir(), "c.db")}
	go func() {
		done <- run(ctx, args, getenv, &logs, &logs, func(a string) { addrc <- a })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	select {
	case addr := <-addrc:
		return addr
	case err := <-done:
		done <- err
		t.Fatalf("the server did not start: %v", err)
	case <-ctx.Done():
		t.Fatal("the server did not start in time")
	}
	return ""
}

// startBrowser starts headless Chromium and opens one tab, which closes
// after the timeout at the latest.
func startBrowser(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc(); cancel() })
	do(t, tab, "start the browser")
	return tab
}

// watchConsole records uncaught exceptions and errors from the page (a CSP
// violation is one) until the tab closes; the returned func lists them.
func watchConsole(tab context.Context) func() []string {
	var (
		mu   sync.Mutex
		seen []string
	)
	messages := chromedp.Console(tab)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError && !strings.Contains(m.URL, "favicon") {
				mu.Lock()
				seen = append(seen, fmt.Sprintf("%s (%s)", m, m.URL))
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

func do(t testing.TB, tab context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tab, actions...); err != nil {
		if errors.Is(err, chromedp.ErrPollingTimeout) {
			err = fmt.Errorf("the page did not get there: %w", err)
		}
		t.Fatalf("%s: %v", step, err)
	}
}

func evalString(t testing.TB, tab context.Context, expr string) string {
	t.Helper()
	s, err := chromedp.Run(tab, chromedp.Evaluate[string](`String(`+expr+` ?? '')`))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return s
}

// likeAReader waits as long as a person takes at least to write a comment:
// the server holds forms sent faster as likely bots.
func likeAReader() chromedp.Action[chromedp.Void] { return chromedp.Sleep(comment.MinFillTime) }

// waitJS waits until a JavaScript expression is true.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second))
}

// itemWith is a JavaScript expression for the comment whose text holds s.
func itemWith(s string) string {
	return `[...document.querySelectorAll('.parley-item')].find(e => e.querySelector('.parley-html')?.textContent.includes(` +
		fmt.Sprintf("%q", s) + `))`
}

// checkCount checks every [data-parley-count] of the demo post.
func checkCount(t testing.TB, tab context.Context, want string) {
	t.Helper()
	expr := fmt.Sprintf(`[...document.querySelectorAll('[data-parley-count="/demo/"]')].every(e => e.textContent == %q)`, want)
	if err := chromedp.Do(tab, waitJS(expr)); err != nil {
		got := evalString(t, tab, `[...document.querySelectorAll('[data-parley-count="/demo/"]')].map(e => e.textContent).join(' | ')`)
		t.Errorf("comment counts of /demo/ are %q, want %q", got, want)
	}
}

// postAs posts a comment to the demo site as another reader would, from
// the demo page's origin, after the form was open for a while.
func postAs(t testing.TB, addr, url, author, body string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"url": url, "author": author, "body": body, "elapsed_ms": 20000})
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/comments?site=demo", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://"+addr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("post as %s: %d", author, resp.StatusCode)
	}
}

func screenshot(t testing.TB, tab context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	saveShot(t, name, png)
}

// saveShot writes a screenshot into PARLEY_SCREENSHOT_DIR (or a temporary
// directory).
func saveShot(t testing.TB, name string, png []byte) {
	t.Helper()
	dir := os.Getenv("PARLEY_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// syncBuffer collects the server log; the server writes it from many
// goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
