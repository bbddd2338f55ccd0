package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/server/notify/smtptest"
)

// TestBrowserStaffTools saves answers in the panel, inserts one into a
// comment's reply box, is asked to personalise it and sends it as is, then
// follows another reader up privately by email (through a real SMTP server)
// and sees the note on the thread. Screenshots of each step, at laptop and
// phone width in light and dark, go to PARLEY_SCREENSHOT_DIR.
func TestBrowserStaffTools(t *testing.T) {
	if os.Getenv("PARLEY_TEST_CHROME") == "" {
		t.Skip("PARLEY_TEST_CHROME not set: browser test skipped")
	}
	const password = "demo-password-for-tests"
	mail := smtptest.Start(t, smtptest.Options{})
	addr := startServer(t, func(k string) string {
		switch k {
		case "PARLEY_DEMO_PASSWORD":
			return password
		case "PARLEY_SMTP_URL":
			return "smtp://" + mail.Addr() + "?tls=none"
		case "PARLEY_MAIL_FROM":
			return "Parley <comments@acme.example>"
		}
		return ""
	})
	base := "http://" + addr
	tab := startBrowser(t, 120*time.Second)
	problems := watchConsole(tab)
	first := postWithEmail(t, addr, "Ελένη Παπαδοπούλου", "eleni@mail.example", "Does Rover ship to Crete? Our warehouse is in Heraklion.")

	do(t, tab, "sign in",
		chromedp.Navigate(base+"/admin/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), demoEmail),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`.adm-login button`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-nav`)))
	for _, a := range []struct{ title, body string }{
		{"Shipping to Greece", "Γεια σας {name},\n\nthank you for asking about {post_title}. Rover ships to all of Greece, islands included, within 5 working days.\n\n{staff_name}, {site}"},
		{"Refund policy", "Hi {name}, you can return Rover within 30 days for a full refund: write to returns@acme.example and quote {post_url}."},
	} {
		do(t, tab, "save the answer "+a.title,
			chromedp.Click(chromedp.CSS(`.adm-nav a[href="/admin/answers"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#na-title`)),
			chromedp.SendKeys(chromedp.CSS(`#na-title`), a.title),
			chromedp.SetValue(chromedp.CSS(`#na-body`), a.body),
			chromedp.Click(chromedp.CSS(`form[action="/admin/answers"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`.adm-flash`)))
	}
	do(t, tab, "open an answer's edit form", chromedp.Click(chromedp.CSS(`.adm-answers li:first-child summary`)))
	shots(t, tab, "staff-answers")

	do(t, tab, "insert the answer into the reply box",
		chromedp.Navigate(fmt.Sprintf("%s/admin/comments/%d", base, first)),
		chromedp.WaitVisible(chromedp.CSS(`[data-answer-pick]`)))
	pick := evalString(t, tab, `[...document.querySelectorAll('[data-answer-pick] option')].find(o => o.textContent == 'Shipping to Greece').value`)
	do(t, tab, "pick Shipping to Greece",
		chromedp.SetValue(chromedp.CSS(`[data-answer-pick]`), pick),
		chromedp.Click(chromedp.CSS(`[data-answer-insert]`)),
		waitJS(`document.querySelector('.adm-reply textarea').value.startsWith('Γεια σας Ελένη Παπαδοπούλου,')`))
	if got := evalString(t, tab, `document.querySelector('[data-answer-id]').value`); got != pick {
		t.Errorf("answer_id = %q, want %q", got, pick)
	}
	shots(t, tab, "staff-picker")

	do(t, tab, "publish it unchanged",
		chromedp.Click(chromedp.CSS(`.adm-reply button.adm-btn:not(.adm-secondary)`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-warn`)))
	if got := evalString(t, tab, `document.querySelector('.adm-warn').textContent`); !strings.Contains(got, "Personalise it?") {
		t.Errorf("the warning says %q", got)
	}
	shots(t, tab, "staff-personalise")
	do(t, tab, "send as is",
		chromedp.Click(chromedp.CSS(`.adm-warn button[name=as_is]`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-flash`)))
	if got := evalString(t, tab, `document.querySelector('.adm-flash').textContent`); got != "Reply published." {
		t.Errorf("confirmation = %q", got)
	}
	do(t, tab, "see the use counted",
		chromedp.Navigate(base+"/admin/answers"),
		waitJS(`[...document.querySelectorAll('.adm-answers li')].some(li => li.textContent.includes('Shipping to Greece') && li.textContent.includes('used 1 time'))`))

	second := postWithEmail(t, addr, "Marek Wiśniewski", "marek@mail.example", "My Rover arrived with a cracked wheel. Order 4471.")
	do(t, tab, "open the follow-up form",
		chromedp.Navigate(fmt.Sprintf("%s/admin/comments/%d", base, second)),
		chromedp.WaitVisible(chromedp.CSS(`#follow-up summary`)),
		chromedp.Click(chromedp.CSS(`#follow-up summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#fu-message`)),
		chromedp.SetValue(chromedp.CSS(`#fu-message`), "Dzień dobry Marek,\n\nsorry about the wheel. We are sending a new one today; could you tell us your delivery address?\n\nJana"))
	shots(t, tab, "staff-followup")
	do(t, tab, "send it",
		chromedp.Click(chromedp.CSS(`#follow-up form button`)),
		chromedp.WaitVisible(chromedp.CSS(`.adm-flash`)))
	if got := evalString(t, tab, `document.querySelector('.adm-flash').textContent`); got != "Email sent and note published." {
		t.Errorf("confirmation = %q", got)
	}
	var sent smtptest.Message
	for _, m := range mail.Wait(t, 1, 10*time.Second) {
		if len(m.To) == 1 && m.To[0] == "marek@mail.example" {
			sent = m
		}
	}
	if !strings.Contains(sent.Text, "cracked wheel") || !strings.Contains(sent.Header.Get("Reply-To"), demoEmail) ||
		!strings.Contains(sent.Header.Get("From"), "comments@acme.example") {
		t.Errorf("follow-up email: %v\n%s", sent.Header, sent.Text)
	}
	do(t, tab, "open the private message in the history",
		chromedp.Click(chromedp.CSS(`.adm-history details summary`)),
		waitJS(`document.querySelector('.adm-history details').open`))
	shots(t, tab, "staff-followup-sent")

	do(t, tab, "see the note on the blog",
		chromedp.Navigate(base+"/demo/"),
		waitJS(itemWith("We have contacted you directly to sort this out.")))
	for _, p := range problems() {
		// The personalise question is the reply form's answer, with 409.
		if !strings.Contains(p, "status of 409") || !strings.Contains(p, "/reply") {
			t.Errorf("browser console: %s", p)
		}
	}
}

// shots saves the page as it is at laptop and phone width, each in light
// and dark, without reloading (the page may be the answer to a form), and
// goes back to the laptop in light.
func shots(t *testing.T, tab context.Context, name string) {
	t.Helper()
	for _, v := range []struct {
		size          string
		width, height int64
		mobile        bool
	}{{"laptop", 1280, 900, false}, {"phone", 375, 800, true}} {
		for _, scheme := range []string{"light", "dark"} {
			emulate := chromedp.EmulateViewport(v.width, v.height)
			if v.mobile {
				emulate = chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile)
			}
			s := scheme
			if s == "light" {
				s = ""
			}
			// At the top: a full-page shot of a scrolled page draws the
			// sticky header half-way down.
			do(t, tab, v.size+" "+scheme, emulate, colorScheme(s), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`),
				chromedp.Sleep(150*time.Millisecond))
			screenshot(t, tab, fmt.Sprintf("%s-%s-%s.png", name, v.size, scheme))
		}
	}
	do(t, tab, "laptop, light", chromedp.EmulateViewport(1280, 900), colorScheme(""))
}

// postWithEmail posts a reader's comment with an email address to the demo
// post and returns its ID.
func postWithEmail(t testing.TB, addr, author, email, body string) int64 {
	t.Helper()
	return postDemo(t, addr, map[string]any{"url": "/demo/", "author": author, "email": email, "body": body})
}
