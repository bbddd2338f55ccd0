// Package markup turns a reader's Markdown into safe HTML: goldmark renders
// (with raw HTML switched off) and one bluemonday policy sanitises, both built
// once in New. It imports goldmark and bluemonday, nothing of ours.
package markup

import (
	"bytes"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// LinkRel is the rel attribute of every link in a comment: search engines are
// told not to vouch for it, and the target page gets no window.opener.
const LinkRel = "nofollow ugc noopener"

// Markup renders comments. It is safe for concurrent use.
type Markup struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds the Markdown renderer and the sanitising policy.
func New() *Markup {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Linkify, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(linkAttrs{}, 100))),
		// No html.WithUnsafe: raw HTML in a comment is dropped by goldmark,
		// and bluemonday below removes anything else that should not be there.
	)
	return &Markup{md: md, policy: newPolicy()}
}

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
		"ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,6}$`)).OnElements("ol")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w+#-]{1,32}$`)).OnElements("code")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + LinkRel + `$`)).OnElements("a")
	p.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	// A link whose href was refused loses the element but keeps its text.
	return p
}

// Render turns Markdown into sanitised HTML. Output for empty input is empty.
func (m *Markup) Render(src string) string {
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only when its writer does; a bytes.Buffer does not.
		return m.policy.Sanitize(src)
	}
	return m.policy.SanitizeReader(&buf).String()
}

// Sanitize cleans HTML written elsewhere (a comment imported from another
// system) with the policy of rendered comments.
func (m *Markup) Sanitize(html string) string {
	return m.policy.Sanitize(html)
}

// linkAttrs marks every link in a comment as user content that opens in a new
// tab without access to the blog's window. Images become links to the image:
// a comment must not make every reader's browser fetch a third-party address.
type linkAttrs struct{}

func (linkAttrs) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var images []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			setLinkAttrs(n, n.Destination)
		case *ast.AutoLink:
			setLinkAttrs(n, n.URL(src))
		case *ast.Image:
			images = append(images, n)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		link := ast.NewLink()
		link.Destination, link.Title = img.Destination, img.Title
		for c := img.FirstChild(); c != nil; c = img.FirstChild() {
			link.AppendChild(link, c)
		}
		setLinkAttrs(link, link.Destination)
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
}

// setLinkAttrs sets rel and target on links to a web or mail address. Other
// links (relative ones mean nothing inside an embed on someone's blog) get
// none, so the sanitiser drops them and keeps their text.
func setLinkAttrs(n ast.Node, dest []byte) {
	if !safeURL.Match(dest) {
		return
	}
	n.SetAttributeString("rel", []byte(LinkRel))
	n.SetAttributeString("target", []byte("_blank"))
}

var safeURL = regexp.MustCompile(`(?i)^(https?://|mailto:)`)
