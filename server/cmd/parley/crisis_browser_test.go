package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCrisis runs the real binary's wiring end to end: a burst of
// angry comments on the demo post, scored by the tone analyser, opens a
// crisis in the alert worker, and the inbox shows its banner and the
// negative comments first with their tone badges. Screenshots (laptop and
// phone, light and dark) go to PARLEY_SCREENSHOT_DIR.
func TestBrowserCrisis(t *testing.T) {
	if os.Getenv("PARLEY_TEST_CHROME") == "" {
		t.Skip("PARLEY_TEST_CHROME not set: browser test skipped")
	}
	const password = "demo-password-for-tests"
	addr := startServer(t, func(k string) string {
		return map[string]string{"PARLEY_DEMO_PASSWORD": password, "PARLEY_RATE_POST": "0", "PARLEY_RATE_SITE": "0",
			"PARLEY_ALERT_INTERVAL": "200ms"}[k]
	})
	base := "http://" + addr
	postAs(t, addr, "/demo/", "Nina", "Thanks for the clear write-up, the new dashboard looks great.")
	angry := []string{
		"This price increase is a scam. I want a refund now!",
		"Your support never replied and the app is not working. Disgusting.",
		"I am cancelling my subscription, this is outrageous.",
		"Worst update ever, everything is broken!!!",
	}
	for i := range 12 {
		postAs(t, addr, "/demo/", fmt.Sprintf("Reader %d", i+1), fmt.Sprintf("%s (%d)", angry[i%len(angry)], i+1))
	}
	tab := startBrowser(t, 90*time.Second)
	problems := watchConsole(tab)
	do(t, tab, "sign in",
		chromedp.Navigate(base+"/admin/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), demoEmail),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`.adm-login button`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-nav`)))
	// The worker looks every 200 ms; reload until the banner is there.
	banner := `!!document.querySelector('.adm-crisis')`
	deadline := time.Now().Add(20 * time.Second)
	for evalString(t, tab, banner) != "true" {
		if time.Now().After(deadline) {
			t.Fatal("no crisis banner in the inbox")
		}
		time.Sleep(300 * time.Millisecond)
		do(t, tab, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.adm-nav`)))
	}
	if got := evalString(t, tab, `document.querySelector('.adm-crisis').textContent`); !strings.Contains(got, "negative comments in 10 minutes") {
		t.Errorf("the banner says %q", got)
	}
	if got := evalString(t, tab, `document.querySelector('.adm-item .adm-negative')?.textContent`); !strings.HasPrefix(got, "negative ") {
		t.Errorf("the first inbox item's badge is %q, want a negative one", got)
	}
	if got := evalString(t, tab, `[...document.querySelectorAll('.adm-item')].pop().textContent.includes('Nina')`); got != "true" {
		t.Error("the calm comment is not last in the inbox")
	}
	ready := banner
	for _, v := range []struct {
		name          string
		width, height int64
		mobile        bool
		scheme        string
	}{
		{"laptop-light", 1280, 900, false, ""}, {"laptop-dark", 1280, 900, false, "dark"},
		{"phone-light", 375, 800, true, ""}, {"phone-dark", 375, 800, true, "dark"},
	} {
		view := chromedp.EmulateViewport(v.width, v.height)
		if v.mobile {
			view = chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile)
		}
		do(t, tab, v.name, view, colorScheme(v.scheme), chromedp.Reload(), waitJS(ready))
		viewShot(t, tab, "admin-inbox-crisis-"+v.name+".png")
	}
	link := evalString(t, tab, `document.querySelector('.adm-crisis a.adm-btn').href`)
	if !strings.Contains(link, "thread=") {
		t.Fatalf("the banner links to %q", link)
	}
	do(t, tab, "follow the banner to the post's inbox", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`.adm-item`)))
	if got := evalString(t, tab, `document.querySelector('h1 .adm-count').textContent`); got != "13" {
		t.Errorf("the post's inbox counts %s, want 13", got)
	}
	viewShot(t, tab, "admin-inbox-crisis-post-phone-dark.png")
	if p := problems(); len(p) > 0 {
		t.Errorf("console: %v", p)
	}
}

// viewShot saves what the viewport shows: the banner and the first items,
// not the whole long inbox.
func viewShot(t testing.TB, tab context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := cmp.Or(os.Getenv("PARLEY_SCREENSHOT_DIR"), t.TempDir())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
