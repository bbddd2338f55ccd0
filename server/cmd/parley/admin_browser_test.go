package main

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserAdmin signs in to the admin panel of the demo, finds a reader's
// comment in the inbox, answers it inline, sees it leave the inbox, and sees
// the answer with the staff badge on the public demo page. Screenshots of
// the inbox (laptop and phone) and of the thread go to PARLEY_SCREENSHOT_DIR.
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
	screenshot(t, tab, "admin-inbox-laptop.png")
	do(t, tab, "phone width, dark",
		chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
			return err
		}),
		chromedp.Reload(), waitJS(`!!`+inboxItem))
	screenshot(t, tab, "admin-inbox-phone-dark.png")
	do(t, tab, "laptop width, light",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
			return err
		}),
		chromedp.Reload(), waitJS(`!!`+inboxItem))

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
	if got := evalString(t, tab, `document.querySelector('h1 .adm-count').textContent`); got != "0" {
		t.Errorf("inbox count after the reply = %q, want 0", got)
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
	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}
