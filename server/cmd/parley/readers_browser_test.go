package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/server/notify/smtptest"
)

// TestBrowserReplyEmails runs the whole program with a real SMTP server and
// drives the embed and the link pages in headless Chromium: a reader ticks
// "Email me when someone replies", confirms through the link emailed to
// them (a button on the page, not the GET), gets a reply by email and
// unsubscribes from its link.
func TestBrowserReplyEmails(t *testing.T) {
	if os.Getenv("PARLEY_TEST_CHROME") == "" {
		t.Skip("PARLEY_TEST_CHROME not set: browser test skipped")
	}
	mail := smtptest.Start(t, smtptest.Options{})
	env := map[string]string{"PARLEY_SMTP_URL": "smtp://" + mail.Addr() + "?tls=none", "PARLEY_ALERT_INTERVAL": "200ms"}
	addr := startServer(t, func(k string) string { return env[k] })
	base := "http://" + addr
	tab := startBrowser(t, 120*time.Second)
	problems := watchConsole(tab)

	do(t, tab, "open the demo post", chromedp.Navigate(base+"/demo/"), waitJS(`document.querySelector('#parley .parley-item')`))
	if got := evalString(t, tab, `document.querySelector('.parley > form .parley-check').hidden`); got != "true" {
		t.Errorf("the reply-email box shows before an address is typed (hidden = %s)", got)
	}
	if href := evalString(t, tab, `document.querySelector('.parley-feed:not([hidden])')?.getAttribute('href')`); !strings.Contains(href, "/api/v1/feed.atom?site=demo&url=") {
		t.Errorf("feed link %q", href)
	}
	const body = "Does Rover come with spare wheels?"
	do(t, tab, "write a comment with an address",
		chromedp.SendKeys(chromedp.CSS(`.parley > form textarea[name=body]`), body),
		chromedp.SendKeys(chromedp.CSS(`.parley > form input[name=author]`), "Mia"),
		chromedp.SendKeys(chromedp.CSS(`.parley > form input[name=email]`), "mia@example.com"),
		waitJS(`!document.querySelector('.parley > form .parley-check').hidden`))
	if got := evalString(t, tab, `document.querySelector('.parley > form input[name=notify]').checked`); got != "false" {
		t.Errorf("the box is ticked by default")
	}
	do(t, tab, "tick the box", chromedp.Click(chromedp.CSS(`.parley > form input[name=notify]`)), chromedp.Sleep(100*time.Millisecond))
	do(t, tab, "scroll to the form", chromedp.ScrollIntoView(chromedp.CSS(`.parley > form .parley-check`)))
	screenshot(t, tab, "reply-emails-form-laptop-light.png")
	do(t, tab, "post",
		likeAReader(),
		chromedp.Click(chromedp.CSS(`.parley > form .parley-primary`)),
		waitJS(itemWith(body)),
		waitJS(`document.querySelector('.parley-confirm')?.textContent.includes('open the link')`))
	screenshot(t, tab, "reply-emails-posted-laptop-light.png")
	parent := strings.TrimPrefix(evalString(t, tab, itemWith(body)+`.id`), "parley-c-")

	confirm := mailsTo(t, mail, "mia@example.com", 1)[0]
	confirmPath := linkPath(t, confirm.Text, "confirm")
	do(t, tab, "open the confirmation link", chromedp.Navigate(base+confirmPath), chromedp.WaitVisible(chromedp.CSS(`form button`)))
	screenshot(t, tab, "reply-emails-confirm-laptop-light.png")
	pressButton(t, tab)
	do(t, tab, "confirmed", waitJS(`document.querySelector('h1')?.textContent == 'You will be told of replies'`))

	replyAs(t, addr, parent, "Team member Jo", "Yes, two spares are in the box.")
	reply := mailsTo(t, mail, "mia@example.com", 2)[1]
	if !strings.Contains(reply.Subject, "Team member Jo replied") || reply.To[0] != "mia@example.com" {
		t.Errorf("reply mail: %q to %v", reply.Subject, reply.To)
	}

	// How the reply email looks (its HTML part, as a mail program shows it).
	page := filepath.Join(t.TempDir(), "reply.html")
	if err := os.WriteFile(page, []byte(reply.HTML), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, tab, "open the reply email", chromedp.Navigate("file://"+page), chromedp.WaitVisible(chromedp.CSS(`a`)))
	screenshot(t, tab, "reply-email-laptop-light.png")

	do(t, tab, "phone, dark",
		chromedp.EmulateViewport(375, 700, chromedp.EmulateMobile),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
			return err
		}),
		chromedp.Navigate(base+linkPath(t, reply.Text, "unsubscribe")), chromedp.WaitVisible(chromedp.CSS(`form button`)))
	screenshot(t, tab, "reply-emails-unsubscribe-phone-dark.png")
	pressButton(t, tab)
	do(t, tab, "unsubscribed", waitJS(`document.querySelector('h1')?.textContent == 'You are unsubscribed'`))
	screenshot(t, tab, "reply-emails-unsubscribed-phone-dark.png")

	// The form remembers the address, so the box is there at once.
	do(t, tab, "the form on a phone",
		chromedp.Navigate(base+"/demo/"), waitJS(`document.querySelector('.parley > form input[name=email]')?.value == 'mia@example.com'`),
		waitJS(`!document.querySelector('.parley > form .parley-check').hidden`),
		chromedp.ScrollIntoView(chromedp.CSS(`.parley > form .parley-check`)))
	elementShot(t, tab, "#parley", "reply-emails-form-phone-dark.png")

	replyAs(t, addr, parent, "Jo", "One more thing.")
	time.Sleep(time.Second) // a few worker ticks
	if n := len(mailsTo(t, mail, "mia@example.com", 0)); n != 2 {
		t.Errorf("%d mails after unsubscribing, want still 2", n)
	}
	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}

// mailsTo waits until at least n messages went to the address (staff
// alerts go through the same server) and returns them.
func mailsTo(t testing.TB, s *smtptest.Server, to string, n int) []smtptest.Message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var out []smtptest.Message
		for _, m := range s.Messages() {
			if len(m.To) == 1 && m.To[0] == to {
				out = append(out, m)
			}
		}
		if len(out) >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails to %s, want %d", len(out), to, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pressButton submits the page's form after the evaluation returns: the
// navigation would cut it off.
func pressButton(t testing.TB, tab context.Context) {
	t.Helper()
	evalString(t, tab, `setTimeout(() => document.querySelector('form button').click(), 0), 'sent'`)
	time.Sleep(300 * time.Millisecond)
}

// elementShot saves a screenshot of the element sel selects.
func elementShot(t testing.TB, tab context.Context, sel, name string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	saveScreenshot(t, name, png)
}

var mailLink = regexp.MustCompile(`https?://\S+/r/(confirm|unsubscribe)\?t=\S+`)

// linkPath returns the path and query of a mail's confirm or unsubscribe link.
func linkPath(t testing.TB, text, kind string) string {
	t.Helper()
	for _, l := range mailLink.FindAllString(text, -1) {
		if u, err := url.Parse(l); err == nil && u.Path == "/r/"+kind {
			return u.RequestURI()
		}
	}
	t.Fatalf("no %s link in %q", kind, text)
	return ""
}

// replyAs posts a reply on the demo post as another reader would.
func replyAs(t testing.TB, addr, parent, author, body string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"url": "/demo/", "author": author, "body": body, "elapsed_ms": 20000, "parent_id": json.Number(parent)})
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/comments?site=demo", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://"+addr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("reply as %s: %d", author, resp.StatusCode)
	}
}
