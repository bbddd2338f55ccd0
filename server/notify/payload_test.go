package notify_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/parleyhq/parley/server/notify"
)

// utf16Len counts as Slack and Discord do.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

func TestPostSlack(t *testing.T) {
	h := newHookServer(t, http.StatusOK)
	if err := notify.NewPoster(nil, fixedNow).Post(t.Context(), notify.Webhook{URL: h.URL, Format: notify.FormatSlack}, event(12)); err != nil {
		t.Fatal(err)
	}
	var msg struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text *struct {
				Type, Text string
			} `json:"text"`
			Accessory *struct {
				Type string `json:"type"`
				URL  string `json:"url"`
			} `json:"accessory"`
			Elements []struct {
				Type string `json:"type"`
				URL  string `json:"url"`
				Text any    `json:"text"`
			} `json:"elements"`
		} `json:"blocks"`
	}
	body := h.requests()[0].body
	if err := json.Unmarshal(body, &msg); err != nil {
		t.Fatal(err)
	}
	if msg.Text != "3 comments wait for an answer on “Pricing &amp; &lt;plans&gt;”" {
		t.Errorf("text %q", msg.Text)
	}
	// intro, 10 comments, "and 2 more", open button
	var types []string
	for _, b := range msg.Blocks {
		types = append(types, b.Type)
	}
	if want := "section," + strings.Repeat("section,", 10) + "context,actions"; strings.Join(types, ",") != want {
		t.Fatalf("blocks %s, want %s", strings.Join(types, ","), want)
	}
	if b := msg.Blocks[0]; b.Text.Type != "mrkdwn" || !strings.HasPrefix(b.Text.Text, "*3 comments") {
		t.Errorf("intro %+v", b.Text)
	}
	c := msg.Blocks[1]
	for _, want := range []string{"*Ana &lt;b&gt;&amp;&lt;/b&gt; @everyone*", "<https://blog.example/pricing?a=1&b=2|Pricing &amp; &lt;plans&gt;>",
		"<!date^", "&lt;!channel&gt;", "…"} {
		if !strings.Contains(c.Text.Text, want) {
			t.Errorf("comment section lacks %q: %s", want, c.Text.Text)
		}
	}
	if strings.Contains(c.Text.Text, "<!channel>") || strings.Contains(c.Text.Text, "<b>") {
		t.Errorf("comment text not escaped: %s", c.Text.Text)
	}
	if n := utf16Len(c.Text.Text); n > 1000 {
		t.Errorf("comment section of %d characters: excerpt not truncated", n)
	}
	if c.Accessory == nil || c.Accessory.Type != "button" || c.Accessory.URL != "https://parley.example/admin/c/1" {
		t.Errorf("answer button %+v", c.Accessory)
	}
	if a := msg.Blocks[len(msg.Blocks)-1]; a.Elements[0].Type != "button" || a.Elements[0].URL != "https://parley.example/admin/queue" {
		t.Errorf("open button %+v", a.Elements)
	}
	for _, b := range msg.Blocks {
		if b.Text != nil && utf16Len(b.Text.Text) > 3000 {
			t.Errorf("section text of %d characters", utf16Len(b.Text.Text))
		}
	}
}

func TestPostDiscord(t *testing.T) {
	huge := event(30)
	huge.Title = strings.Repeat("T", 3000)
	huge.Text = strings.Repeat("Καλημέρα @everyone ", 1000)
	tests := []struct {
		name string
		ev   notify.Event
	}{
		{"small", event(1)},
		{"huge", huge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHookServer(t, http.StatusNoContent)
			if err := notify.NewPoster(nil, fixedNow).Post(t.Context(), notify.Webhook{URL: h.URL, Format: notify.FormatDiscord}, tt.ev); err != nil {
				t.Fatal(err)
			}
			var msg struct {
				Content string `json:"content"`
				Embeds  []struct {
					Title, URL, Description string
					Fields                  []struct{ Name, Value string }
					Footer                  *struct{ Text string }
				} `json:"embeds"`
				AllowedMentions *struct {
					Parse []string `json:"parse"`
				} `json:"allowed_mentions"`
			}
			if err := json.Unmarshal(h.requests()[0].body, &msg); err != nil {
				t.Fatal(err)
			}
			if msg.AllowedMentions == nil || msg.AllowedMentions.Parse == nil || len(msg.AllowedMentions.Parse) != 0 {
				t.Errorf("allowed_mentions %+v, want parse: []", msg.AllowedMentions)
			}
			if n := utf16Len(msg.Content); n > 2000 || n == 0 {
				t.Errorf("content of %d characters", n)
			}
			if len(msg.Embeds) > 10 || len(msg.Embeds) < 2 {
				t.Errorf("%d embeds", len(msg.Embeds))
			}
			total := 0
			for _, e := range msg.Embeds {
				if utf16Len(e.Title) > 256 || utf16Len(e.Description) > 4096 || len(e.Fields) > 25 {
					t.Errorf("embed over the limits: title %d, description %d, %d fields", utf16Len(e.Title),
						utf16Len(e.Description), len(e.Fields))
				}
				total += utf16Len(e.Title) + utf16Len(e.Description)
				for _, f := range e.Fields {
					if utf16Len(f.Value) > 1024 || utf16Len(f.Name) > 256 {
						t.Errorf("field %q over the limits", f.Name)
					}
					total += utf16Len(f.Name) + utf16Len(f.Value)
				}
				if e.Footer != nil {
					total += utf16Len(e.Footer.Text)
				}
			}
			if total > 6000 {
				t.Errorf("embeds total %d characters", total)
			}
			first, c := msg.Embeds[0], msg.Embeds[1]
			if first.URL != "https://parley.example/admin/queue" || first.Footer == nil || first.Footer.Text != "Parley · blog" {
				t.Errorf("first embed %+v", first)
			}
			if c.URL != "https://parley.example/admin/c/1" || !strings.HasPrefix(c.Title, "Ana <b>&</b> @everyone on “Pricing") {
				t.Errorf("comment embed title %q, url %q", c.Title, c.URL)
			}
			if !strings.Contains(c.Description, `\<!channel\> \*bold\*`) {
				t.Errorf("comment description not escaped: %.80s", c.Description)
			}
			if len(c.Fields) != 2 || c.Fields[0].Value != `[Pricing & \<plans\>](https://blog.example/pricing?a=1&b=2)` ||
				!strings.HasPrefix(c.Fields[1].Value, "<t:") {
				t.Errorf("fields %+v", c.Fields)
			}
			if len(tt.ev.Comments) > len(msg.Embeds)-1 && !strings.Contains(msg.Content, "more in Parley") {
				t.Errorf("content %q does not say that comments were left out", msg.Content)
			}
		})
	}
}
