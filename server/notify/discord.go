package notify

import (
	"fmt"
	"strings"
	"time"
)

// Discord's limits, in characters (discord.com developer docs, Message and
// Embed objects).
const (
	discordContent     = 2000
	discordEmbeds      = 10
	discordTitle       = 256
	discordDescription = 4096
	discordFieldValue  = 1024
	discordEmbedTotal  = 6000 // all titles, descriptions, fields and footers together
	discordExcerpt     = 300
	discordIntro       = 2000 // the first embed's share of discordEmbedTotal
)

// discordPayload is a webhook message. AllowedMentions is always sent with
// no parse types, so "@everyone" in a comment pings nobody.
type discordPayload struct {
	Content         string          `json:"content"`
	Embeds          []discordEmbed  `json:"embeds"`
	AllowedMentions discordMentions `json:"allowed_mentions"`
}

type discordMentions struct {
	Parse []string `json:"parse"`
}

type discordEmbed struct {
	Title       string         `json:"title,omitempty"`
	URL         string         `json:"url,omitempty"`
	Description string         `json:"description,omitempty"`
	Color       int            `json:"color,omitempty"`
	Timestamp   string         `json:"timestamp,omitempty"`
	Fields      []discordField `json:"fields,omitempty"`
	Footer      *discordFooter `json:"footer,omitempty"`
}

type discordField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline"`
}

type discordFooter struct {
	Text string `json:"text"`
}

// size is what the embed counts toward discordEmbedTotal.
func (e discordEmbed) size() int {
	n := utf16Len(e.Title) + utf16Len(e.Description)
	for _, f := range e.Fields {
		n += utf16Len(f.Name) + utf16Len(f.Value)
	}
	if e.Footer != nil {
		n += utf16Len(e.Footer.Text)
	}
	return n
}

// discordEscape backslash-escapes markdown, so comment text shows as
// written.
func discordEscape(r rune) string {
	if strings.ContainsRune(`\*_~`+"`"+`|[]()<>#`, r) {
		return `\` + string(r)
	}
	return string(r)
}

// discordColor picks an embed colour for an event kind.
func discordColor(kind string) int {
	switch kind {
	case "new_comment":
		return 0x0969da
	case "reminder":
		return 0xbf8700
	case "escalation":
		return 0xcf222e
	}
	return 0x59636e
}

// discordMessage renders ev as content (the title) and embeds: one for the
// event, then one per comment while they fit Discord's limits.
func discordMessage(ev Event) discordPayload {
	p := discordPayload{AllowedMentions: discordMentions{Parse: []string{}}}
	intro := discordEmbed{Title: clip(ev.Title, discordTitle, nil), Description: clip(ev.Text, discordIntro, discordEscape),
		Color: discordColor(ev.Kind), Timestamp: ev.SentAt.UTC().Format(time.RFC3339)}
	if webURL(ev.URL) {
		intro.URL = ev.URL
	}
	if ev.Site != "" {
		intro.Footer = &discordFooter{Text: clip("Parley · "+ev.Site, 200, nil)}
	}
	p.Embeds = append(p.Embeds, intro)
	total := intro.size()
	shown := 0
	for _, c := range ev.Comments {
		e := discordComment(c, discordColor(ev.Kind))
		if len(p.Embeds) == discordEmbeds || total+e.size() > discordEmbedTotal {
			break
		}
		p.Embeds = append(p.Embeds, e)
		total += e.size()
		shown++
	}
	content := clip(ev.Title, discordContent-40, discordEscape)
	if more := len(ev.Comments) - shown; more > 0 {
		content += fmt.Sprintf("\n…and %d more in Parley", more)
	}
	p.Content = content
	return p
}

// discordComment is an embed for one comment, linking to where to answer it.
func discordComment(c EventComment, color int) discordEmbed {
	e := discordEmbed{Title: clip(oneLine(c.Author)+" on “"+oneLine(c.PostTitle)+"”", discordTitle, nil),
		Description: clip(oneLine(c.Excerpt), discordExcerpt, discordEscape), Color: color}
	if c.PostTitle == "" {
		e.Title = clip(oneLine(c.Author), discordTitle, nil)
	}
	if webURL(c.AdminURL) {
		e.URL = c.AdminURL
	}
	if title := oneLine(c.PostTitle); title != "" || webURL(c.PostURL) {
		e.Fields = append(e.Fields, discordField{Name: "Post", Value: discordLink(c.PostURL, title), Inline: true})
	}
	if !c.DueAt.IsZero() {
		// Discord shows <t:unix:R> as "in 2 hours" in the reader's time zone.
		due := fmt.Sprintf("<t:%d:f> (<t:%d:R>)", c.DueAt.Unix(), c.DueAt.Unix())
		e.Fields = append(e.Fields, discordField{Name: "Due", Value: due, Inline: true})
	}
	return e
}

// discordLink is the markdown link [label](url), or the label alone when url
// is not a web URL or the link would not fit a field.
func discordLink(url, label string) string {
	label = clip(label, 200, discordEscape)
	if !webURL(url) {
		return label
	}
	if label == "" {
		label = "link"
	}
	link := "[" + label + "](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(url) + ")"
	if utf16Len(link) > discordFieldValue {
		return label
	}
	return link
}
