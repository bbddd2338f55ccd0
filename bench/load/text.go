package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// vocab holds the words and phrases comments are made of. Bodies read like
// blog comments: a few sentences of Markdown, most with a link, some with
// emphasis, code or a list, so that the server renders what it would in use.
type vocab struct {
	openers, subjects, verbs, objects, closers, names, linkTexts, hosts []string
}

func newVocab() *vocab {
	return &vocab{
		openers: []string{
			"Thanks for writing this up.", "I ran into the same problem last week.", "Great post!",
			"I'm not sure I agree with the second part.", "This matches what we saw in production.",
			"Quick question about the setup.", "Nice explanation, but one thing is missing.",
			"We tried this approach at work.", "Interesting read.", "Has anyone benchmarked this?",
		},
		subjects: []string{
			"the cache", "our deploy script", "the migration", "my home server", "the build",
			"the query planner", "the new release", "SQLite in WAL mode", "the reverse proxy", "the test suite",
		},
		verbs: []string{
			"broke after", "got twice as fast after", "needed a restart after", "behaved differently after",
			"stopped complaining after", "started timing out after", "was much simpler after", "used less memory after",
		},
		objects: []string{
			"we upgraded Go", "I moved it to a smaller VM", "we turned on gzip", "adding an index",
			"switching the log format", "pinning the dependency", "we split the service in two", "a fresh install",
		},
		closers: []string{
			"Would love a follow-up post.", "Happy to share more details if useful.", "Curious what others think.",
			"Anyway, thanks again.", "I'll try your version tomorrow.", "Keep them coming!",
		},
		names: []string{
			"Ana", "Ben K.", "Chiara", "Dmitri", "Eleni", "Farid", "Grace Lee", "Hiro", "Ines", "Jonas",
			"Kofi", "Lena", "Mateo", "Nadia", "Olek", "Priya", "Quentin", "Rosa", "Sven", "Tomás",
		},
		linkTexts: []string{"the docs", "this issue", "my notes", "a write-up", "the changelog", "this benchmark"},
		hosts:     []string{"example.org", "blog.example.net", "docs.example.com", "notes.example.io"},
	}
}

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

// newComment makes a comment on pageURL; parentID 0 starts a new topic.
func (v *vocab) newComment(rng *rand.Rand, pageURL string, parentID int64) commentRequest {
	name := pick(rng, v.names)
	c := commentRequest{URL: pageURL, Title: "A post about performance", ParentID: parentID,
		Author: name, Body: v.body(rng)}
	if rng.IntN(2) == 0 {
		c.Email = fmt.Sprintf("reader%d@example.com", rng.IntN(10000))
	}
	if rng.IntN(4) == 0 {
		c.Website = "https://" + pick(rng, v.hosts) + "/~" + strings.ToLower(strings.Fields(name)[0])
	}
	return c
}

// body is two to five sentences of Markdown, 200 to 600 characters.
func (v *vocab) body(rng *rand.Rand) string {
	var b strings.Builder
	b.WriteString(pick(rng, v.openers))
	for range 1 + rng.IntN(3) {
		fmt.Fprintf(&b, " %s %s %s.", capitalize(pick(rng, v.subjects)), pick(rng, v.verbs), pick(rng, v.objects))
	}
	switch rng.IntN(4) {
	case 0:
		fmt.Fprintf(&b, " The key line was `GOMAXPROCS=%d`, which **really** matters here.", 1+rng.IntN(8))
	case 1:
		b.WriteString("\n\nWhat helped:\n\n- shorter timeouts\n- one writer\n- *fewer* allocations")
	}
	if rng.IntN(5) != 0 {
		fmt.Fprintf(&b, "\n\nSee [%s](https://%s/p/%d) for details.", pick(rng, v.linkTexts), pick(rng, v.hosts), rng.IntN(1000))
	}
	b.WriteString(" " + pick(rng, v.closers))
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
