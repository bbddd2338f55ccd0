package transfer

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// write stores one chunk: its threads, then its comments.
func (im *importer) write(ctx context.Context, entries []entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := im.writeThreads(ctx, entries); err != nil {
		return err
	}
	if err := im.writeComments(ctx, entries); err != nil {
		return err
	}
	im.records += len(entries)
	if im.opt.Progress != nil {
		im.opt.Progress(Progress{Records: im.records, Threads: im.sum.Threads, Comments: im.sum.Comments, Skipped: im.sum.Skipped})
	}
	return nil
}

func (im *importer) skip(reason string) {
	im.sum.Skipped++
	im.sum.SkipReasons[reason]++
}

// keyIndex resolves import keys to the IDs of the site's comments.
type keyIndex struct {
	byKey map[string]int64
	ours  map[int64]bool // comments named by a key of this database's exports
	self  string
}

// lookUp finds which of keys the site has.
func (im *importer) lookUp(ctx context.Context, keys []string) (keyIndex, error) {
	var ids []int64
	for _, k := range keys {
		if id, ok := selfID(im.self, k); ok {
			ids = append(ids, id)
		}
	}
	ix := keyIndex{self: im.self}
	var err error
	if ix.byKey, err = im.tx.FindKeys(ctx, im.site.ID, keys); err != nil {
		return keyIndex{}, err
	}
	if len(ids) > 0 {
		if ix.ours, err = im.tx.FindIDs(ctx, im.site.ID, ids); err != nil {
			return keyIndex{}, err
		}
	}
	return ix, nil
}

// id returns the ID of the comment with the import key, if the site has it.
func (ix keyIndex) id(key string) (int64, bool) {
	if id, ok := ix.byKey[key]; ok {
		return id, true
	}
	if id, ok := selfID(ix.self, key); ok && ix.ours[id] {
		return id, true
	}
	return 0, false
}

// selfID returns the comment ID in a key this database's exports gave a
// comment written here ("parley:<instance>:<id>").
func selfID(self, key string) (int64, bool) {
	rest, ok := strings.CutPrefix(key, self)
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// writeComments stores a chunk's comments. Those already imported are
// skipped. The rest get IDs in an order where a parent in the chunk comes
// before its replies, so that they go in together, parents first; a reply
// whose parent has not been seen yet goes in at the top level and is
// linked by finish.
func (im *importer) writeComments(ctx context.Context, entries []entry) error {
	var keys []string
	own := map[string]bool{}
	for i := range entries {
		if e := &entries[i]; e.thread == nil {
			keys = append(keys, e.rec.Key)
			own[e.rec.Key] = true
		}
	}
	if len(keys) == 0 {
		return nil
	}
	for i := range entries {
		// A parent in the chunk is looked up as one of its comments.
		if e := &entries[i]; e.thread == nil && e.parentKey != "" && !own[e.parentKey] {
			keys = append(keys, e.parentKey)
		}
	}
	ix, err := im.lookUp(ctx, keys)
	if err != nil {
		return err
	}
	keep := im.newComments(entries, ix)
	if len(keep) == 0 {
		return nil
	}
	ordered := parentsFirst(keep)
	ids, err := im.tx.ReserveIDs(ctx, len(ordered))
	if err != nil {
		return err
	}
	placed := make(map[string]int64, len(ordered))
	recs := make([]Record, len(ordered))
	for i, e := range ordered {
		e.rec.ID = ids[i]
		placed[e.rec.Key] = e.rec.ID
		if e.parentKey != "" && !e.late {
			if id, ok := ix.id(e.parentKey); ok {
				e.rec.ParentID = id
			} else if id, ok := placed[e.parentKey]; ok {
				e.rec.ParentID = id
			} else {
				e.late = true // not seen yet
			}
		}
		recs[i] = e.rec
	}
	if err := im.tx.CreateRecords(ctx, recs); err != nil {
		return fmt.Errorf("records %d-%d: %w", entries[0].n, entries[len(entries)-1].n, err)
	}
	for _, e := range ordered {
		im.created(e)
	}
	return nil
}

// newComments returns the chunk's comments to store: those of a known
// thread not imported before, each once.
func (im *importer) newComments(entries []entry, ix keyIndex) []*entry {
	seen := map[string]bool{}
	var keep []*entry
	for i := range entries {
		e := &entries[i]
		if e.thread != nil {
			continue
		}
		tid, ok := im.threads[e.threadKey]
		switch {
		case !ok:
			im.skip(SkipThreadUnknown)
			continue
		case tid == 0:
			im.skip(SkipThreadInvalid)
			continue
		}
		if id, ok := ix.id(e.rec.Key); ok {
			if id > im.startID {
				im.skip(SkipDuplicate)
			} else {
				im.skip(SkipImported)
			}
			continue
		}
		if seen[e.rec.Key] {
			im.skip(SkipDuplicate)
			continue
		}
		seen[e.rec.Key] = true
		e.rec.ThreadID = tid
		keep = append(keep, e)
	}
	return keep
}

// parentsFirst orders comments so that a parent among them comes before
// its replies. Where their parents go round in a circle, the comment
// reached last loses its parent.
func parentsFirst(es []*entry) []*entry {
	byKey := make(map[string]*entry, len(es))
	for _, e := range es {
		byKey[e.rec.Key] = e
	}
	const (
		visiting = 1
		done     = 2
	)
	state := make(map[*entry]int, len(es))
	out := make([]*entry, 0, len(es))
	for _, e := range es {
		// Walk up to the first ancestor not yet placed, then place the
		// chain top-down: no recursion, however deep the thread.
		var chain []*entry
		for cur := e; cur != nil && state[cur] == 0; {
			state[cur] = visiting
			chain = append(chain, cur)
			parent := byKey[cur.parentKey]
			if parent != nil && state[parent] == visiting {
				// A circle: its parent is below it. It goes at the top.
				cur.parentKey, cur.changes = "", cur.changes|changeCycle
				break
			}
			cur = parent
		}
		for i := len(chain) - 1; i >= 0; i-- {
			state[chain[i]] = done
			out = append(out, chain[i])
		}
	}
	return out
}

// created counts a stored comment, and notes what finish must do for it.
func (im *importer) created(e *entry) {
	r := &e.rec
	im.sum.Comments++
	for _, name := range e.changes.names() {
		im.sum.Changed[name]++
	}
	var at time.Time // when the comment answers its parent, if it does
	if e.derived && r.Official && r.Status == comment.StatusApproved {
		at = r.CreatedAt
	}
	switch {
	case e.late:
		im.pending = append(im.pending, pendingParent{id: r.ID, parentKey: e.parentKey, answerAt: at})
	case r.ParentID != 0 && !at.IsZero():
		im.answers = append(im.answers, answer{parentID: r.ParentID, at: at})
	}
}
