package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// generator writes a synthetic export: threads of perThread comments, a
// third of them replies to an earlier comment of the thread, some by staff,
// a few deleted, spam or held; bodies of one to three paragraphs with the
// odd link, emphasis and entity.
type generator struct {
	w         *bufio.Writer
	rnd       *rand.Rand
	n         int
	perThread int
	start     time.Time
	first     []string // names
	last      []string
	words     []string
}

// genComment is one generated comment.
type genComment struct {
	id, thread, parent int
	author, email      string
	paras              []string
	official           bool
	status             string
	at                 time.Time
}

func (g *generator) threads() int { return (g.n + g.perThread - 1) / g.perThread }

func (g *generator) threadTime(t int) time.Time { return g.start.Add(time.Duration(t) * 3 * time.Hour) }

// each calls fn with every comment, thread by thread.
func (g *generator) each(fn func(c genComment) error) error {
	var ids []int
	for id := 1; id <= g.n; id++ {
		t := (id - 1) / g.perThread
		if (id-1)%g.perThread == 0 {
			ids = ids[:0]
		}
		c := genComment{id: id, thread: t + 1, status: "approved",
			at: g.threadTime(t).Add(time.Duration((id-1)%g.perThread+1) * 7 * time.Minute)}
		if len(ids) > 0 && g.rnd.IntN(3) == 0 {
			c.parent = ids[g.rnd.IntN(len(ids))]
			c.official = g.rnd.IntN(6) == 0
		}
		switch r := g.rnd.IntN(100); {
		case r < 2:
			c.status = "deleted"
		case r < 3:
			c.status = "spam"
		case r < 4:
			c.status = "pending"
		}
		reader := g.rnd.IntN(20000)
		c.author, c.email = fmt.Sprintf("%s %s", g.first[reader%len(g.first)], g.last[reader/len(g.first)%len(g.last)]),
			fmt.Sprintf("reader%d@mail%d.example", reader, reader%50)
		if c.official {
			c.author, c.email = "Acme team", "team@acme.example"
		}
		c.paras = g.paras()
		ids = append(ids, id)
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// paras returns one to three paragraphs of plain text.
func (g *generator) paras() []string {
	out := make([]string, 1+g.rnd.IntN(3))
	for i := range out {
		words := make([]string, 12+g.rnd.IntN(40))
		for j := range words {
			words[j] = g.words[g.rnd.IntN(len(g.words))]
		}
		out[i] = strings.Join(words, " ")
	}
	return out
}

// parley writes Parley's export format: the header, the threads, the
// comments (parents first), the end record.
func (g *generator) parley() error {
	enc := json.NewEncoder(g.w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"format": "parley", "version": 1, "site": "bench"}); err != nil {
		return err
	}
	for t := 1; t <= g.threads(); t++ {
		err := enc.Encode(map[string]any{"type": "thread", "key": fmt.Sprint(t), "url": fmt.Sprintf("https://blog.example/%d/post-%d/", 2015+t/3000, t),
			"title": fmt.Sprintf("Post number %d & more", t), "created_at": g.threadTime(t - 1)})
		if err != nil {
			return err
		}
	}
	err := g.each(func(c genComment) error {
		body, html := markdownOf(c.paras)
		rec := map[string]any{"type": "comment", "key": fmt.Sprintf("parley:bench:%d", c.id), "thread": fmt.Sprint(c.thread),
			"author": c.author, "email": c.email, "body": body, "html": html, "status": c.status,
			"official": c.official, "created_at": c.at, "reply_state": "open"}
		if c.official {
			rec["reply_state"] = "staff"
		}
		if c.parent != 0 {
			rec["parent"] = fmt.Sprintf("parley:bench:%d", c.parent)
		}
		if c.status == "deleted" {
			rec["body"], rec["html"], rec["email"], rec["author"] = "", "", "", ""
		}
		return enc.Encode(rec)
	})
	if err != nil {
		return err
	}
	return enc.Encode(map[string]any{"type": "end", "threads": g.threads(), "comments": g.n})
}

// markdownOf returns paragraphs as Markdown and as the HTML Parley renders
// for it.
func markdownOf(paras []string) (string, string) {
	var md, html strings.Builder
	for i, p := range paras {
		if i > 0 {
			md.WriteString("\n\n")
		}
		md.WriteString(p)
		html.WriteString("<p>" + p + "</p>\n")
	}
	return md.String(), html.String()
}

// disqus writes Disqus's XML export: a category, the threads, then the
// posts, each naming its thread and parent by dsq:id.
func (g *generator) disqus() error {
	g.w.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd http://disqus.com/api/schemas/1.0/disqus-internals.xsd">
  <category dsq:id="1">
    <forum>bench</forum>
    <title>General</title>
    <isDefault>true</isDefault>
  </category>
`)
	for t := 1; t <= g.threads(); t++ {
		fmt.Fprintf(g.w, `  <thread dsq:id="%d">
    <id>post-%d</id>
    <forum>bench</forum>
    <category dsq:id="1" />
    <link>https://blog.example/%d/post-%d/</link>
    <title>Post number %d &amp; more</title>
    <message />
    <createdAt>%s</createdAt>
    <author>
      <email>ana@blog.example</email>
      <name>Ana Kovač</name>
      <isAnonymous>false</isAnonymous>
      <username>anakovac</username>
    </author>
    <ipAddress>203.0.113.10</ipAddress>
    <isClosed>false</isClosed>
    <isDeleted>false</isDeleted>
  </thread>
`, 100000+t, t, 2015+t/3000, t, t, g.threadTime(t-1).Format(time.RFC3339))
	}
	err := g.each(func(c genComment) error {
		var msg strings.Builder
		for i, p := range c.paras {
			if i == 1 {
				p += ` See <a href="https://example.com/more?a=1&amp;b=2" rel="nofollow">this <b>link</b></a>.`
			}
			msg.WriteString("<p>" + p + "</p>")
		}
		parent := ""
		if c.parent != 0 {
			parent = fmt.Sprintf("\n    <parent dsq:id=\"%d\" />", 5000000+c.parent)
		}
		_, err := fmt.Fprintf(g.w, `  <post dsq:id="%d">
    <id />
    <message><![CDATA[%s]]></message>
    <createdAt>%s</createdAt>
    <isDeleted>%t</isDeleted>
    <isSpam>%t</isSpam>
    <author>
      <email>%s</email>
      <name>%s</name>
      <isAnonymous>false</isAnonymous>
      <username>u%d</username>
    </author>
    <ipAddress>198.51.100.%d</ipAddress>
    <thread dsq:id="%d" />%s
  </post>
`, 5000000+c.id, msg.String(), c.at.Format(time.RFC3339), c.status == "deleted", c.status == "spam",
			c.email, c.author, c.id%20000, c.id%250, 100000+c.thread, parent)
		return err
	})
	if err != nil {
		return err
	}
	_, err = g.w.WriteString("</disqus>\n")
	return err
}

// newGenerator returns a generator of n comments in threads of perThread.
func newGenerator(w *bufio.Writer, n, perThread int) *generator {
	return &generator{w: w, rnd: rand.New(rand.NewPCG(1, 2)), n: n, perThread: perThread,
		start: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC),
		first: []string{"Ana", "Bo", "Cyril", "Dora", "Emil", "Fatima", "Goran", "Hana", "Ivo", "Jana", "Kemal", "Lea"},
		last:  []string{"Kovač", "Horvat", "Babić", "Marić", "Novak", "Jurić", "Perić", "Vuković", "Knežević", "Blažević"},
		words: strings.Fields(`the a rover warehouse cold battery charge works quickly slowly really great
			question answer thanks shipping price order month winter summer please help why how when does
			it we you they our your firmware update sensor wheel track map route speed noise quiet fast
			tried bought returned support team manual page version model 2 3 10 100 °C km/h ünïcödé café`)}
}
