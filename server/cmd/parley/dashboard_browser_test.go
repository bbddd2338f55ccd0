package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserDashboard signs in to the demo, whose blog has a month of
// history, and looks at the response dashboard: every chart drawn, the
// summary agreeing with the table, the period and assignee filters, and
// the phone layout. Screenshots at laptop and phone width, light and dark,
// go to PARLEY_SCREENSHOT_DIR.
func TestBrowserDashboard(t *testing.T) {
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
	// Two questions wait for an answer: the backlog.
	postAs(t, addr, "/demo/", "Marek", "Czy Rover działa w chłodni?")
	postAs(t, addr, "/demo/", "Eleni", "Is Rover certified for food warehouses?")
	do(t, tab, "sign in",
		chromedp.Navigate(base+"/admin/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), demoEmail),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`.adm-login button`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-nav`)))
	const ready = `document.querySelectorAll('.adm-chart svg').length === 5`
	do(t, tab, "open the dashboard",
		chromedp.Click(chromedp.CSS(`.adm-nav a[href="/admin/dashboard"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-charts`)), waitJS(ready))
	if got := evalString(t, tab, `[...document.querySelectorAll('.adm-chart svg')].filter(s => s.querySelector('.pc-empty')).length + ''`); got != "0" {
		t.Errorf("%s charts are empty on the demo", got)
	}
	comments, _ := strconv.Atoi(evalString(t, tab, `document.querySelector('.adm-kpi').textContent`))
	if comments < 40 {
		t.Errorf("the demo's month has %d comments, want its history", comments)
	}
	if got := evalString(t, tab, `document.querySelector('.adm-daily .adm-total td').textContent`); got != strconv.Itoa(comments) {
		t.Errorf("the total row says %q comments, the summary %d", got, comments)
	}
	if got := evalString(t, tab, `document.querySelectorAll('.adm-people tbody tr').length + ''`); got != "3" {
		t.Errorf("%s assignees listed, want the owner, Luka and the site's assignees", got)
	}
	for _, scheme := range []string{"", "dark"} {
		name := "admin-dashboard-" + map[string]string{"": "light", "dark": "dark"}[scheme]
		do(t, tab, "laptop "+name, chromedp.EmulateViewport(1280, 900), colorScheme(scheme), chromedp.Reload(), waitJS(ready))
		screenshot(t, tab, name+"-laptop.png")
		do(t, tab, "phone "+name, chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile), colorScheme(scheme), chromedp.Reload(), waitJS(ready))
		if wide := evalString(t, tab, `document.documentElement.scrollWidth > window.innerWidth + 1`); wide != "false" {
			t.Errorf("%s: the page is wider than the phone", name)
		}
		screenshot(t, tab, name+"-phone.png")
	}
	do(t, tab, "back to the laptop", chromedp.EmulateViewport(1280, 900), colorScheme(""))

	luka := evalString(t, tab, `[...document.querySelectorAll('#d-author option')].find(o => o.textContent === 'Luka from Acme').value`)
	do(t, tab, "choose the last 90 days of Luka's posts",
		chromedp.SetValue(chromedp.CSS(`select[name=days]`), "90"),
		chromedp.SetValue(chromedp.CSS(`#d-author`), luka))
	// Submit after the evaluation returns: the navigation would cut it off.
	evalString(t, tab, `setTimeout(() => document.querySelector('.adm-filters').requestSubmit(), 0), 'sent'`)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		done, _ := chromedp.Run(tab, chromedp.Evaluate[bool](`location.search.includes('days=90') && `+ready))
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the filtered dashboard did not load")
		}
	}
	if got := evalString(t, tab, `document.querySelector('.adm-scope').textContent`); !strings.Contains(got, "Luka from Acme") {
		t.Errorf("the filtered page says %q", got)
	}
	if got := evalString(t, tab, `document.querySelectorAll('.adm-daily tbody:first-of-type tr').length + ''`); got != "90" {
		t.Errorf("%s days in the table, want 90", got)
	}
	if got := evalString(t, tab, `document.querySelector('a[download]').getAttribute('href')`); !strings.Contains(got, "days=90") || !strings.Contains(got, "author=") {
		t.Errorf("the CSV link %q lacks the filters", got)
	}
	screenshot(t, tab, "admin-dashboard-90d-assignee-laptop.png")
	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}
