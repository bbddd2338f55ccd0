package transfer

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/server/comment"
)

// threadSet collects the threads one chunk needs, merged by path.
type threadSet struct {
	want []comment.Thread
	keys [][]string // the thread keys of each of want
	at   map[string]int
}

// add adds the thread of a page address under key, reporting false when
// the address cannot be a thread's.
func (ts *threadSet) add(im *importer, key, rawURL string, t Thread) bool {
	path, abs, err := comment.ThreadPath(mapURL(im.opt.MapURL, strings.TrimSpace(rawURL)))
	if err != nil {
		return false
	}
	title, _ := truncate(cleanLine(strings.ToValidUTF8(t.Title, "\uFFFD")), comment.MaxTitleLength)
	author, _ := truncate(cleanLine(strings.ToValidUTF8(t.Author, "\uFFFD")), 2*comment.MaxAuthorLength)
	i, ok := ts.at[path]
	if !ok {
		i = len(ts.want)
		ts.at[path] = i
		ts.want = append(ts.want, comment.Thread{SiteID: im.site.ID, Path: path, URL: abs, Title: title,
			Author: author, CreatedAt: utc(t.CreatedAt)})
		ts.keys = append(ts.keys, nil)
	}
	w := &ts.want[i]
	w.URL, w.Title, w.Author = cmp.Or(w.URL, abs), cmp.Or(w.Title, title), cmp.Or(w.Author, author)
	ts.keys[i] = append(ts.keys[i], key)
	return true
}

// writeThreads finds or creates the threads of a chunk's thread records,
// and of the comments that name their thread by its address.
func (im *importer) writeThreads(ctx context.Context, entries []entry) error {
	ts := threadSet{at: map[string]int{}}
	inChunk := map[string]bool{}
	for i := range entries {
		if t := entries[i].thread; t != nil {
			if ts.add(im, t.Key, t.URL, *t) {
				inChunk[t.Key] = true
			} else {
				im.threads[t.Key] = 0
				im.skip(SkipThreadInvalid)
			}
		}
	}
	for i := range entries {
		e := &entries[i]
		if e.thread != nil || inChunk[e.threadKey] {
			continue
		}
		if _, known := im.threads[e.threadKey]; !known && e.threadKey != "" {
			// A source without thread records names the page itself.
			if ts.add(im, e.threadKey, e.threadKey, Thread{}) {
				inChunk[e.threadKey] = true
			}
		}
	}
	if len(ts.want) == 0 {
		return nil
	}
	ids, created, err := im.tx.EnsureThreads(ctx, ts.want)
	if err != nil {
		return fmt.Errorf("records %d-%d: %w", entries[0].n, entries[len(entries)-1].n, err)
	}
	im.sum.Threads += created
	for i, keys := range ts.keys {
		for _, k := range keys {
			im.threads[k] = ids[i]
		}
	}
	return nil
}
