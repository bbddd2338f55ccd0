package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/sla"
)

// TestBrowserAck posts comments on the demo pages from browsers in other
// time zones and checks each reader is thanked and told when to expect a
// reply, in the page's language and their own time; a comment held for
// review says so too. It saves screenshots of the acknowledgement (laptop
// and phone, light and dark, Greek, Polish held) to PARLEY_SCREENSHOT_DIR.
func TestBrowserAck(t *testing.T) {
	if os.Getenv("PARLEY_TEST_CHROME") == "" {
		t.Skip("PARLEY_TEST_CHROME not set: browser test skipped")
	}
	base := "http://" + startServer(t, func(string) string { return "" }) + "/demo/"
	tab := startBrowser(t, 120*time.Second)
	problems := watchConsole(tab)

	text := postForAck(t, tab, base, "America/New_York", "Test Reader", "When does Rover ship?", true)
	const en = "Thanks for your comment, Test Reader! Our team usually answers within 4 hours; expect a reply "
	if !strings.HasPrefix(text, en) {
		t.Errorf("acknowledgement %q, want it to start %q", text, en)
	}
	if got := evalString(t, tab, `document.querySelector('.parley-ack').getAttribute('role')`); got != "status" {
		t.Errorf("the acknowledgement's role is %q, want status", got)
	}
	if got := evalString(t, tab, `document.querySelector('.parley-ack').nextElementSibling?.tagName`); got != "FORM" {
		t.Errorf("the acknowledgement is not just above the form but before a %q", got)
	}
	screenshotOf(t, tab, "ack-laptop-light.png")
	do(t, tab, "dismiss it",
		chromedp.Click(chromedp.CSS(`.parley-ack-x`)),
		waitJS(`!document.querySelector('.parley-ack') && document.activeElement.name == 'body'`))

	do(t, tab, "laptop, dark", colorScheme("dark"))
	postForAck(t, tab, base, "America/New_York", "Test Reader", "Does it run on stairs?", true)
	screenshotOf(t, tab, "ack-laptop-dark.png")

	do(t, tab, "phone, dark", chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile))
	postForAck(t, tab, base, "Asia/Tokyo", "Kenji", "How loud is it?", true)
	screenshotOf(t, tab, "ack-phone-dark.png")

	do(t, tab, "phone, light", colorScheme(""))
	text = postForAck(t, tab, base+"el/", "Europe/Athens", "Ελένη", "Πότε έρχεται στην Ελλάδα;", true)
	const el = "Ευχαριστούμε για το σχόλιό σας, Ελένη! Η ομάδα μας συνήθως απαντά μέσα σε 4 ώρες· περιμένετε απάντηση "
	if !strings.HasPrefix(text, el) {
		t.Errorf("Greek acknowledgement %q, want it to start %q", text, el)
	}
	if got := evalString(t, tab, `document.querySelector('.parley-ack').lang`); got != "el" {
		t.Errorf("the Greek acknowledgement's lang is %q", got)
	}
	// The server announces the reader's own post to every open page, this
	// one too: it must not offer it as "new comments" (it did once).
	do(t, tab, "let the live update of the own post arrive", chromedp.Sleep(1500*time.Millisecond))
	if got := evalString(t, tab, `document.querySelector('.parley-fresh')?.textContent`); got != "" {
		t.Errorf("after posting, the embed offers its own comment as new: %q", got)
	}
	screenshotOf(t, tab, "ack-el-phone-light.png")

	// Sent at once, as a bot would: held, and the acknowledgement says so
	// (instead of the plain "awaiting approval" message).
	do(t, tab, "laptop, light", chromedp.EmulateViewport(1280, 900))
	text = postForAck(t, tab, base+"pl/", "Europe/Warsaw", "Ania", "Szybkie pytanie", false)
	if !strings.HasPrefix(text, "Dziękujemy za komentarz, Ania! Nasz zespół zwykle odpowiada w ciągu 4 godzin. Spodziewaj się odpowiedzi ") ||
		!strings.HasSuffix(text, " Komentarz pojawi się, gdy sprawdzi go moderator.") {
		t.Errorf("Polish acknowledgement of a held comment: %q", text)
	}
	if got := evalString(t, tab, `document.querySelector('.parley > form .parley-msg').textContent`); got != "" {
		t.Errorf("the form also says %q", got)
	}
	screenshotOf(t, tab, "ack-pl-held-laptop.png")

	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}

// postForAck opens page in a browser set to zone, posts a comment (after a
// reader's pause, or at once) and returns the acknowledgement it shows. It
// checks the expected time is the demo site's reply target (4 business
// hours, UTC, weekdays 09:00-17:00) from now, on the reader's clock.
func postForAck(t *testing.T, tab context.Context, page, zone, name, body string, pause bool) string {
	t.Helper()
	wait := likeAReader()
	if !pause {
		wait = chromedp.Sleep(0)
	}
	before := time.Now()
	do(t, tab, "post on "+page+" from "+zone,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone})
			return err
		}),
		chromedp.Navigate(page),
		waitJS(`!!document.querySelector('.parley > form')`),
		chromedp.SendKeys(chromedp.CSS(`.parley > form textarea[name=body]`), body),
		chromedp.SetValue(chromedp.CSS(`.parley > form input[name=author]`), name),
		wait,
		chromedp.Click(chromedp.CSS(`.parley > form .parley-primary`)),
		waitJS(`document.querySelector('.parley-ack p')?.textContent.length > 0`))
	text := evalString(t, tab, `document.querySelector('.parley-ack p').textContent`)
	after := time.Now()
	week, err := sla.ParseHours(comment.DefaultHours)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := sla.New(time.UTC, week, nil)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	early, late := cal.Add(before, 4*time.Hour).In(loc).Format("15:04"), cal.Add(after, 4*time.Hour).In(loc).Format("15:04")
	if !strings.Contains(text, early) && !strings.Contains(text, late) {
		t.Errorf("acknowledgement %q does not name %s (or %s), the reply time in %s", text, early, late, zone)
	}
	if strings.Contains(text, "UTC") {
		t.Errorf("acknowledgement %q names the site's zone: the reader's was not used", text)
	}
	return text
}

// screenshotOf saves the comment section, with the acknowledgement in it.
func screenshotOf(t *testing.T, tab context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.Screenshot(chromedp.CSS(`.parley`)))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	saveScreenshot(t, name, png)
}
