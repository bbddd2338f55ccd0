package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserAdmin signs in to the admin panel of the demo, finds a reader's
// comment in the inbox with its deadline, reassigns it on its own page,
// answers it inline, sees it leave the inbox, and sees the answer with the
// staff badge on the public demo page. On the way it saves the reply
// settings, its own alert settings and looks at the response times.
// Screenshots of each page (laptop light, phone dark) and of the thread go
// to PARLEY_SCREENSHOT_DIR.
func TestBrowserAdmin(t *testing.T) {
	if os.Getenv("PARLEY_TEST_CHROME") == "" {
		t.Skip("PARLEY_TEST_CHROME not set: browser test skipped")
	}
	const password = "demo-password-for-tests"
	addr := startServer(t, func(k string) string {
		if k == "PARLEY_DEMO_PASSWORD" {
			return password
		}
		return ""
	})
	base := "http://" + addr
	tab := startBrowser(t, 90*time.Second)
	problems := watchConsole(tab)

	const question = "When will Rover ship to Greece?"
	do(t, tab, "post a reader comment",
		chromedp.Navigate(base+"/demo/"),
		waitJS(`document.querySelectorAll('#parley .parley-item').length >= 2`),
		chromedp.SendKeys(chromedp.CSS(`.parley > form textarea[name=body]`), question),
		chromedp.SendKeys(chromedp.CSS(`.parley > form input[name=author]`), "Eleni"),
		likeAReader(),
		chromedp.Click(chromedp.CSS(`.parley > form .parley-primary`)),
		waitJS(itemWith(question)))

	do(t, tab, "sign in",
		chromedp.Navigate(base+"/admin/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), demoEmail),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`.adm-login button`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-nav`)))
	inboxItem := fmt.Sprintf(`[...document.querySelectorAll('.adm-item')].find(e => e.textContent.includes(%q))`, question)
	do(t, tab, "find the comment in the inbox", waitJS(`!!`+inboxItem))
	if got := evalString(t, tab, `document.querySelector('h1 .adm-count').textContent`); got != "1" {
		t.Errorf("inbox count = %q, want 1 (the demo's seeded question is answered)", got)
	}
	if got := evalString(t, tab, inboxItem+`.querySelector('.adm-due')?.textContent`); !strings.HasPrefix(got, "due in ") && !strings.HasPrefix(got, "overdue by ") {
		t.Errorf("the inbox shows the deadline as %q", got)
	}
	if got := evalString(t, tab, inboxItem+`.querySelector('.adm-assignee')?.textContent`); !strings.Contains(got, "Jana from Acme") {
		t.Errorf("the inbox shows the assignee as %q, want the demo post's author", got)
	}
	// A comment posted meanwhile is announced on the open inbox.
	postAs(t, addr, "/demo/", "Marek", "Czy Rover działa w chłodni?")
	do(t, tab, "see the live notice", waitJS(`document.querySelector('[data-live-events]')?.hidden === false`))
	screenshots(t, tab, "admin-inbox", `!!`+inboxItem)

	do(t, tab, "open the comment and give it to the site's assignees",
		chromedp.Click(chromedp.CSS(`.adm-item:has(.adm-due) a.adm-link[href^="/admin/comments/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-assign select`)),
		chromedp.SetValue(chromedp.CSS(`.adm-assign select`), "0"),
		chromedp.Click(chromedp.CSS(`.adm-assign button`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-flash`)))
	if got := evalString(t, tab, `document.querySelector('.adm-flash').textContent`); got != "Comment reassigned." {
		t.Errorf("confirmation = %q", got)
	}
	if got := evalString(t, tab, `document.querySelector('.adm-assignee').textContent`); !strings.Contains(got, "Site assignees") {
		t.Errorf("after reassigning, the comment is assigned to %q", got)
	}
	screenshots(t, tab, "admin-comment", `!!document.querySelector('.adm-assign')`)
	do(t, tab, "back to the inbox", chromedp.Navigate(base+"/admin/"), waitJS(`!!`+inboxItem))

	const answer = "Hi Eleni, Rover ships to Greece in **March**."
	do(t, tab, "reply inline",
		chromedp.SendKeys(chromedp.CSS(`.adm-item textarea[name=body]`), answer),
		chromedp.Click(chromedp.CSS(`.adm-item .adm-reply button`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-flash`)))
	if got := evalString(t, tab, `document.querySelector('.adm-flash').textContent`); got != "Reply published." {
		t.Errorf("confirmation = %q", got)
	}
	if got := evalString(t, tab, `!!`+inboxItem); got != "false" {
		t.Error("the answered comment is still in the inbox")
	}
	if got := evalString(t, tab, `document.querySelector('h1 .adm-count').textContent`); got != "1" {
		t.Errorf("inbox count after the reply = %q, want 1 (Marek's comment)", got)
	}

	do(t, tab, "see the answer on the blog",
		chromedp.Navigate(base+"/demo/"),
		waitJS(itemWith("ships to Greece in")))
	staff := evalString(t, tab, itemWith("ships to Greece in")+`.querySelector('.parley-staff')?.textContent`)
	if staff != "Staff" {
		t.Errorf("the answer's badge = %q, want Staff", staff)
	}
	if got := evalString(t, tab, itemWith("ships to Greece in")+`.querySelector('.parley-html strong')?.textContent`); got != "March" {
		t.Errorf("the answer's Markdown: <strong> = %q", got)
	}
	screenshot(t, tab, "admin-answer-on-blog.png")

	do(t, tab, "save the demo site's reply settings",
		chromedp.Navigate(base+"/admin/settings"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=reply_target]`)),
		chromedp.SetValue(chromedp.CSS(`input[name=reply_target]`), "2h"),
		chromedp.SetValue(chromedp.CSS(`input[name=time_zone]`), "Europe/Athens"),
		chromedp.SetValue(chromedp.CSS(`textarea[name=holidays]`), "2026-12-24..2026-12-26 Winter break"),
		chromedp.Click(chromedp.CSS(`input[name=assignees]`)),
		chromedp.Click(chromedp.CSS(`form[action^="/admin/settings/"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-flash`)))
	if got := evalString(t, tab, `document.querySelector('.adm-flash').textContent`); got != "Settings saved." {
		t.Errorf("confirmation = %q", got)
	}
	if got := evalString(t, tab, `document.querySelector('input[name=time_zone]').value + ' ' + document.querySelector('input[name=assignees]').checked`); got != "Europe/Athens true" {
		t.Errorf("settings after saving: %q", got)
	}
	screenshots(t, tab, "admin-settings", `!!document.querySelector('input[name=reply_target]')`)

	do(t, tab, "set my alerts",
		chromedp.Click(chromedp.CSS(`.adm-nav a[href="/admin/alerts"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=quiet_hours]`)),
		chromedp.SetValue(chromedp.CSS(`input[name=webhook_url]`), "https://hooks.example/parley"),
		chromedp.SetValue(chromedp.CSS(`select[name=webhook_format]`), "json"),
		chromedp.SetValue(chromedp.CSS(`input[name=quiet_hours]`), "22:00-07:00"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/alerts"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-flash`)))
	if got := evalString(t, tab, `document.querySelector('.adm-flash').textContent`); got != "Alert settings saved." {
		t.Errorf("confirmation = %q", got)
	}
	if got := evalString(t, tab, `document.querySelector('#webhook-secret').textContent`); !strings.HasPrefix(got, "whsec_") {
		t.Errorf("the webhook secret shown is %q", got)
	}
	screenshots(t, tab, "admin-alerts", `!!document.querySelector('#webhook-secret')`)

	do(t, tab, "look at the response times",
		chromedp.Click(chromedp.CSS(`.adm-nav a[href="/admin/dashboard"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main a[href^="/admin/response"]`)),
		chromedp.Click(chromedp.CSS(`main a[href^="/admin/response"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-stats`)))
	// The seeded question, Eleni's and the demo's history (answered from
	// 1 to 30 days ago, so those of the last week but for whole days).
	answered, _ := strconv.Atoi(evalString(t, tab, `document.querySelector('.adm-stats tbody td:nth-child(3)').textContent`))
	monthAnswered, _ := strconv.Atoi(evalString(t, tab, `document.querySelector('.adm-stats tbody tr:nth-child(2) td:nth-child(3)').textContent`))
	if answered < 2 || monthAnswered <= answered {
		t.Errorf("answered comments: %d in the last 7 days, %d in the last 30; want Eleni's, the seeded one and the history", answered, monthAnswered)
	}
	screenshots(t, tab, "admin-response", `!!document.querySelector('.adm-stats')`)

	// Owners import other systems' exports from the panel.
	fixture, err := filepath.Abs(filepath.Join("..", "..", "transfer", "formats", "testdata", "disqus.xml"))
	if err != nil {
		t.Fatal(err)
	}
	do(t, tab, "import a Disqus export",
		chromedp.Click(chromedp.CSS(`.adm-nav a[href="/admin/import"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[type=file]`)),
		chromedp.SetValue(chromedp.CSS(`select[name=format]`), "disqus"),
		chromedp.SetUploadFiles(`input[type=file]`, []string{fixture}))
	// Submit after the evaluation returns: the navigation would cut it off.
	evalString(t, tab, `setTimeout(() => document.querySelector('form[action="/admin/import"]').requestSubmit(), 0), 'sent'`)
	// The job page reloads itself while the import runs: poll across the
	// reloads.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		done, _ := chromedp.Run(tab, chromedp.Evaluate[bool](`!!document.querySelector('.adm-flash')?.textContent.startsWith('Done:')`))
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the import's summary did not appear")
		}
	}
	screenshots(t, tab, "admin-import", `document.querySelector('.adm-flash')?.textContent.startsWith('Done:')`)
	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}

// screenshots saves the page at laptop width in light mode and at phone
// width in dark mode (reloading, until ready is true), then goes back to
// the laptop.
func screenshots(t *testing.T, tab context.Context, name, ready string) {
	t.Helper()
	screenshot(t, tab, name+"-laptop.png")
	do(t, tab, "phone width, dark", chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile), colorScheme("dark"),
		chromedp.Reload(), waitJS(ready))
	screenshot(t, tab, name+"-phone-dark.png")
	do(t, tab, "laptop width, light", chromedp.EmulateViewport(1280, 900), colorScheme(""), chromedp.Reload(), waitJS(ready))
}

// colorScheme emulates prefers-color-scheme ("" for the default, light).
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		p := emulation.SetEmulatedMediaParams{}
		if scheme != "" {
			p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
		}
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, p)
		return err
	})
}
