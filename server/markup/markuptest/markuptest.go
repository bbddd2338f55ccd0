// Package markuptest checks HTML for anything a browser could execute, and
// reads the attack corpora in markup's testdata. Tests only.
package markuptest

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Unsafe returns why s, parsed as an HTML fragment the way a browser would,
// could run script; "" when it cannot. It refuses script-capable elements,
// any on* attribute, style attributes, and URL attributes whose scheme is not
// http, https or mailto (javascript:, data:, vbscript: …).
func Unsafe(s string) string {
	lower := strings.ToLower(s)
	if strings.Contains(lower, "<script") {
		return "contains <script"
	}
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return "does not parse: " + err.Error()
	}
	for _, n := range nodes {
		if why := unsafeNode(n); why != "" {
			return why
		}
	}
	return ""
}

var dangerousElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "object": true, "embed": true, "svg": true, "math": true,
	"form": true, "input": true, "button": true, "link": true, "meta": true, "base": true, "img": true,
	"video": true, "audio": true, "frame": true, "frameset": true, "applet": true, "template": true, "textarea": true,
}

func unsafeNode(n *html.Node) string {
	if n.Type == html.ElementNode {
		if dangerousElements[n.Data] {
			return "element <" + n.Data + ">"
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") {
				return "attribute " + a.Key
			}
			if key == "style" || key == "srcdoc" || key == "formaction" {
				return "attribute " + a.Key
			}
			v := strings.ToLower(strings.Join(strings.FieldsFunc(a.Val, func(r rune) bool { return r <= ' ' }), ""))
			if strings.Contains(v, "javascript:") || strings.Contains(v, "vbscript:") || strings.HasPrefix(v, "data:") {
				return "attribute " + a.Key + "=" + a.Val
			}
			if key == "href" && !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "mailto:")) {
				return "href " + a.Val
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if why := unsafeNode(c); why != "" {
			return why
		}
	}
	return ""
}

// Corpus returns the lines of one of markup's testdata corpora
// ("xss-payloads.txt" or "blns.txt"), without blank lines and, for blns,
// without its # comment lines.
func Corpus(tb testing.TB, name string) []string {
	tb.Helper()
	_, file, _, _ := runtime.Caller(0)
	f, err := os.Open(filepath.Join(filepath.Dir(file), "..", "testdata", name))
	if err != nil {
		tb.Fatalf("markuptest: %v", err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || (name == "blns.txt" && strings.HasPrefix(line, "#")) {
			continue
		}
		lines = append(lines, line)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("markuptest: %v", err)
	}
	return lines
}
