package notify

import (
	"fmt"
	"strings"
	"time"
)

// Slack's limits, in UTF-16 units (docs.slack.dev, Block Kit reference).
const (
	slackSectionText = 3000 // section text
	slackFallback    = 3000 // top-level text; Slack allows more but shows less
	slackButtonText  = 75
	slackComments    = 10 // comment sections per message; 50 blocks at most
	slackExcerpt     = 300
)

// slackPayload is an incoming-webhook message.
type slackPayload struct {
	Text   string       `json:"text"` // notification and fallback text
	Blocks []slackBlock `json:"blocks"`
}

// slackBlock is a section, context or actions block.
type slackBlock struct {
	Type      string       `json:"type"`
	Text      *slackText   `json:"text,omitempty"`
	Accessory *slackButton `json:"accessory,omitempty"`
	Elements  []any        `json:"elements,omitempty"` // slackText in context, slackButton in actions
}

type slackText struct {
	Type string `json:"type"` // mrkdwn or plain_text
	Text string `json:"text"`
}

type slackButton struct {
	Type     string    `json:"type"` // button
	Text     slackText `json:"text"`
	URL      string    `json:"url"`
	ActionID string    `json:"action_id"`
}

// slackEscape escapes the characters mrkdwn gives meaning to, so that a
// commenter cannot write links or <!channel> mentions.
func slackEscape(r rune) string {
	switch r {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	}
	return string(r)
}

// slackLink is <url|label>, or just the label when url is not a web URL.
func slackLink(url, label string) string {
	if !webURL(url) {
		return label
	}
	url = strings.NewReplacer("|", "%7C", "<", "%3C", ">", "%3E").Replace(url)
	return "<" + url + "|" + label + ">"
}

// slackDate shows t in the reader's time zone, with a UTC fallback.
func slackDate(t time.Time) string {
	return fmt.Sprintf("<!date^%d^{date_short_pretty} {time}|%s>", t.Unix(), t.UTC().Format("2006-01-02 15:04 UTC"))
}

func newSlackButton(text, url, actionID string) *slackButton {
	return &slackButton{Type: "button", Text: slackText{Type: "plain_text", Text: clip(text, slackButtonText, nil)},
		URL: url, ActionID: actionID}
}

// slackMessage renders ev as Block Kit: the title and text, a section per
// comment (up to slackComments) with an Answer button, and an Open button.
func slackMessage(ev Event) slackPayload {
	title := "*" + clip(ev.Title, 300, slackEscape) + "*"
	p := slackPayload{Text: clip(ev.Title, slackFallback, slackEscape)}
	intro := title
	if ev.Text != "" {
		intro += "\n" + clip(ev.Text, slackSectionText-utf16Len(title)-1, slackEscape)
	}
	p.Blocks = append(p.Blocks, slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: intro}})
	for i, c := range ev.Comments {
		if i == slackComments {
			more := fmt.Sprintf("…and %d more", len(ev.Comments)-slackComments)
			p.Blocks = append(p.Blocks, slackBlock{Type: "context", Elements: []any{slackText{Type: "mrkdwn", Text: more}}})
			break
		}
		p.Blocks = append(p.Blocks, slackComment(c, i))
	}
	if webURL(ev.URL) {
		p.Blocks = append(p.Blocks, slackBlock{Type: "actions",
			Elements: []any{newSlackButton("Open in Parley", ev.URL, "open")}})
	}
	return p
}

// slackComment is a section: who wrote on which post, when a reply is due,
// the excerpt quoted, and an Answer button.
func slackComment(c EventComment, i int) slackBlock {
	var b strings.Builder
	b.WriteString("*" + clip(oneLine(c.Author), 100, slackEscape) + "*")
	if c.PostTitle != "" {
		b.WriteString(" on " + slackLink(c.PostURL, clip(oneLine(c.PostTitle), 200, slackEscape)))
	}
	if !c.DueAt.IsZero() {
		b.WriteString(" · due " + slackDate(c.DueAt))
	}
	if c.Excerpt != "" {
		b.WriteString("\n>" + clip(oneLine(c.Excerpt), slackExcerpt, slackEscape))
	}
	block := slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: b.String()}}
	if webURL(c.AdminURL) {
		block.Accessory = newSlackButton("Answer", c.AdminURL, fmt.Sprintf("answer-%d", i))
	}
	return block
}
