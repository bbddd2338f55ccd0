package transfer

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// batchSize bounds the keys or IDs of one query of the finishing passes.
const batchSize = 500

// finish links the replies stored before their parents, breaks any cycle
// of parents a malformed source made, and marks the comments the import's
// official replies answer.
func (im *importer) finish(ctx context.Context) error {
	for len(im.pending) > 0 {
		n := min(len(im.pending), batchSize)
		if err := im.link(ctx, im.pending[:n]); err != nil {
			return err
		}
		im.pending = im.pending[n:]
	}
	im.pending = nil
	return im.answer(ctx)
}

// link gives pending replies their parents, or leaves them at the top
// level (counted) when the source never had the parent or the parents
// would go round in a circle.
func (im *importer) link(ctx context.Context, ps []pendingParent) error {
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = p.parentKey
	}
	ix, err := im.lookUp(ctx, keys)
	if err != nil {
		return err
	}
	var links []Link
	var linked []pendingParent
	for _, p := range ps {
		id, ok := ix.id(p.parentKey)
		if !ok {
			im.sum.Changed[ChangeParentMissing]++
			continue
		}
		links = append(links, Link{ID: p.id, ParentID: id})
		linked = append(linked, p)
	}
	if len(links) == 0 {
		return nil
	}
	if err := im.tx.SetParents(ctx, links); err != nil {
		return err
	}
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.ID
	}
	cycles, err := im.tx.FindCycles(ctx, ids)
	if err != nil {
		return err
	}
	if len(cycles) > 0 {
		unlink := make([]Link, len(cycles))
		for i, id := range cycles {
			unlink[i] = Link{ID: id}
			im.sum.Changed[ChangeParentCycle]++
		}
		if err := im.tx.SetParents(ctx, unlink); err != nil {
			return err
		}
	}
	for i, p := range linked {
		if !p.answerAt.IsZero() && !slices.Contains(cycles, p.id) {
			im.answers = append(im.answers, answer{parentID: links[i].ParentID, at: p.answerAt})
		}
	}
	return nil
}

// answer marks each comment with an official reply in the import answered,
// at its first such reply, unless it is answered already.
func (im *importer) answer(ctx context.Context) error {
	slices.SortFunc(im.answers, func(a, b answer) int {
		return cmp.Or(cmp.Compare(a.parentID, b.parentID), a.at.Compare(b.at))
	})
	first := slices.CompactFunc(im.answers, func(a, b answer) bool { return a.parentID == b.parentID })
	for len(first) > 0 {
		n := min(len(first), batchSize)
		if err := im.markAnswered(ctx, first[:n]); err != nil {
			return err
		}
		first = first[n:]
	}
	im.answers = nil
	return nil
}

func (im *importer) markAnswered(ctx context.Context, as []answer) error {
	ids := make([]int64, len(as))
	at := make(map[int64]time.Time, len(as))
	for i, a := range as {
		ids[i], at[a.parentID] = a.parentID, a.at
	}
	cs, err := im.tx.FindComments(ctx, ids)
	if err != nil {
		return err
	}
	var done []comment.Comment
	for _, c := range cs {
		if c.Official || (c.ReplyState != comment.ReplyOpen && c.ReplyState != comment.ReplyNotNeeded) {
			continue
		}
		c.ReplyState, c.AnsweredAt = comment.ReplyAnswered, at[c.ID]
		c.ReplyTime = im.opt.Schedule.Elapsed(im.site, c.CreatedAt, c.AnsweredAt)
		done = append(done, c)
	}
	if len(done) == 0 {
		return nil
	}
	return im.tx.MarkAnswered(ctx, done)
}
