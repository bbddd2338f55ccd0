package transfer

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// pageSize is how many rows an export reads at a time.
const pageSize = 1000

// Export writes the site's threads and comments to w in Parley's format,
// from one consistent view of the database and a page at a time, so that
// a site of any size exports in bounded memory while the server runs.
// Parents come before their replies. The file holds email addresses.
// Summary counts what was written.
func Export(ctx context.Context, st Store, site comment.Site, w io.Writer, now time.Time) (Summary, error) {
	inst, err := st.Instance(ctx)
	if err != nil {
		return Summary{}, err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	ex := &exporter{enc: json.NewEncoder(bw), site: site, self: FormatParley + ":" + inst + ":",
		held: map[int64][]Record{}, heldIDs: map[int64]bool{}}
	ex.enc.SetEscapeHTML(false)
	err = st.InSnapshot(ctx, func(v View) error {
		err := ex.enc.Encode(Header{Format: FormatParley, Version: ParleyVersion, Site: site.Name, Instance: inst, ExportedAt: now.UTC()})
		if err != nil {
			return err
		}
		if err := ex.threads(ctx, v); err != nil {
			return err
		}
		if err := ex.comments(ctx, v); err != nil {
			return err
		}
		return ex.enc.Encode(record{Type: "end", Threads: ex.sum.Threads, Comments: ex.sum.Comments})
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return Summary{}, fmt.Errorf("transfer: export %s: %w", site.Name, err)
	}
	return ex.sum, nil
}

type exporter struct {
	enc  *json.Encoder
	site comment.Site
	self string
	sum  Summary
	// held are comments read before their parent (an import may store a
	// reply first), by parent ID, until the parent is written; heldIDs
	// are their IDs.
	held    map[int64][]Record
	heldIDs map[int64]bool
}

func (ex *exporter) threads(ctx context.Context, v View) error {
	var after int64
	for {
		ts, err := v.ThreadsAfter(ctx, ex.site.ID, after, pageSize)
		if err != nil {
			return err
		}
		for _, t := range ts {
			err := ex.enc.Encode(record{Type: "thread", Key: strconv.FormatInt(t.ID, 10), URL: t.URL, Path: t.Path,
				Title: t.Title, Author: t.Author, CreatedAt: t.CreatedAt.UTC()})
			if err != nil {
				return err
			}
			ex.sum.Threads++
			after = t.ID
		}
		if len(ts) < pageSize {
			return nil
		}
	}
}

func (ex *exporter) comments(ctx context.Context, v View) error {
	var after int64
	for {
		rs, err := v.RecordsAfter(ctx, ex.site.ID, after, pageSize)
		if err != nil {
			return err
		}
		for _, r := range rs {
			after = r.ID
			if r.ParentID != 0 && (r.ParentID > r.ID || ex.heldIDs[r.ParentID]) {
				ex.held[r.ParentID] = append(ex.held[r.ParentID], r)
				ex.heldIDs[r.ID] = true
				continue
			}
			if err := ex.writeTree(r); err != nil {
				return err
			}
		}
		if len(rs) < pageSize {
			break
		}
	}
	// Left: replies whose parent never came (a cycle a malformed import
	// made). The importer takes them as top-level comments.
	var rest []Record
	for _, rs := range ex.held {
		rest = append(rest, rs...)
	}
	slices.SortFunc(rest, func(a, b Record) int { return cmp.Compare(a.ID, b.ID) })
	for _, r := range rest {
		if err := ex.write(r); err != nil {
			return err
		}
	}
	return nil
}

// writeTree writes r and then the replies held for it, and theirs.
func (ex *exporter) writeTree(r Record) error {
	stack := []Record{r}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if err := ex.write(r); err != nil {
			return err
		}
		kids := ex.held[r.ID]
		delete(ex.held, r.ID)
		for i := len(kids) - 1; i >= 0; i-- {
			delete(ex.heldIDs, kids[i].ID)
			stack = append(stack, kids[i])
		}
	}
	return nil
}

func (ex *exporter) write(r Record) error {
	key, parent := r.Key, r.ParentKey
	if key == "" {
		key = ex.self + strconv.FormatInt(r.ID, 10)
	}
	if parent == "" && r.ParentID != 0 {
		parent = ex.self + strconv.FormatInt(r.ParentID, 10)
	}
	c := r.Comment
	err := ex.enc.Encode(record{Type: "comment", Key: key, Thread: strconv.FormatInt(c.ThreadID, 10), Parent: parent,
		Author: c.Author, Email: c.Email, Website: c.Website, Body: c.Body, HTML: c.HTML, Status: string(c.Status),
		Official: c.Official, CreatedAt: c.CreatedAt.UTC(), EditedAt: utc(c.EditedAt), ReplyState: string(c.ReplyState),
		AnsweredAt: utc(c.AnsweredAt), ReplySeconds: int64(c.ReplyTime / time.Second), StateReason: c.StateReason,
		ModerationReason: c.ModerationReason, FlagReason: c.FlagReason, DueAt: utc(c.DueAt)})
	if err != nil {
		return err
	}
	ex.sum.Comments++
	return nil
}
