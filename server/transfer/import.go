package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
)

// FormatParley is the name of Parley's own export format.
const FormatParley = "parley"

// Markup renders Markdown and sanitises HTML with the policy of new
// comments; *markup.Markup is one.
type Markup interface {
	Render(markdown string) string
	Sanitize(html string) string
}

// Options tune an import.
type Options struct {
	// MapURL rewrites page addresses; the first match applies.
	MapURL []URLMap
	// AlertSince, when set, lets the reply-SLA alerts see the imported
	// open reader comments shown and created since then: they get a due
	// time (created + the site's reply target, in business time) and
	// their first alert now. Other imported comments never alert.
	AlertSince time.Time
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Progress, when set, is called after each batch with the counts so far.
	Progress func(Progress)
	// Markup renders and sanitises; markup.New() when nil.
	Markup Markup
	// Schedule computes due times and reply times in the site's business
	// time; without one every hour counts.
	Schedule Schedule
}

// Schedule computes in a site's business time; *alert.Schedule is one.
type Schedule interface {
	// Add returns when d of the site's business time has passed after t.
	Add(site comment.Site, t time.Time, d time.Duration) time.Time
	// Elapsed returns the site's business time between from and to.
	Elapsed(site comment.Site, from, to time.Time) time.Duration
}

// wallClock is the Schedule in which every hour is a business hour.
type wallClock struct{}

func (wallClock) Add(_ comment.Site, t time.Time, d time.Duration) time.Time { return t.Add(d) }

func (wallClock) Elapsed(_ comment.Site, from, to time.Time) time.Duration {
	return max(to.Sub(from), 0)
}

// Summary is what an import did.
type Summary struct {
	Threads  int // threads created (a thread that exists is merged)
	Comments int // comments created
	Skipped  int // records not imported; SkipReasons says why
	// SkipReasons counts the skipped records by reason (Skip* constants).
	SkipReasons map[string]int
	// Changed counts what was changed to import a record, by reason
	// (Change* constants).
	Changed map[string]int
}

// Progress is how far an import has come.
type Progress struct {
	Records  int // records read
	Threads  int
	Comments int
	Skipped  int
}

// chunkSize is how many records go through the pipeline, and into the
// database, together: a few chunks in flight are all an import holds of
// the file.
const chunkSize = 1000

// Import reads every record of r into the site, in one transaction: an
// error (a malformed record, a failed write, a cancelled ctx) leaves the
// database as it was. Comments already imported (by import key) are
// skipped, so importing a file twice adds nothing the second time, and
// threads are matched by path, so an import merges into a site's existing
// discussion and never deletes.
//
// Records are read, cleaned and written in a pipeline of chunks, so memory
// stays bounded however large the file: what Import keeps for the whole
// run is the ID of each thread, the comments whose parent had not been
// seen yet when they were written (they are linked at the end), and the
// official replies (to mark what they answer, at the end).
func Import(ctx context.Context, st Store, site comment.Site, r Reader, opt Options) (Summary, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Markup == nil {
		opt.Markup = markup.New()
	}
	if opt.Schedule == nil {
		opt.Schedule = wallClock{}
	}
	inst, err := st.Instance(ctx)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	err = st.InImport(ctx, func(tx ImportTx) error {
		im := &importer{tx: tx, site: site, opt: opt, md: opt.Markup, now: opt.Now().UTC(),
			self: FormatParley + ":" + inst + ":", threads: map[string]int64{},
			sum: Summary{SkipReasons: map[string]int{}, Changed: map[string]int{}}}
		if err := im.run(ctx, r); err != nil {
			return err
		}
		if s, ok := r.(interface{ Skipped() map[string]int }); ok {
			for reason, n := range s.Skipped() { // left out by the reader on purpose (pingbacks, say)
				im.sum.Skipped += n
				im.sum.SkipReasons[reason] += n
			}
		}
		sum = im.sum
		return nil
	})
	var se *SourceError
	if errors.As(err, &se) {
		return Summary{}, err // it says "transfer:" and where already
	}
	if err != nil {
		return Summary{}, fmt.Errorf("transfer: import into %s: %w", site.Name, err)
	}
	return sum, nil
}

// importer is the state of one import.
type importer struct {
	tx   ImportTx
	site comment.Site
	opt  Options
	md   Markup
	now  time.Time
	// self starts the keys with which Parley exports comments written in
	// this database: such a key names the comment by its ID.
	self    string
	startID int64
	// threads maps each thread key to its ID, or to 0 for a thread skipped.
	threads map[string]int64
	// pending are comments written top-level whose parent had not been
	// seen yet; answers are official replies that answer their parent.
	pending []pendingParent
	answers []answer
	records int
	sum     Summary
}

type pendingParent struct {
	id        int64
	parentKey string
	answerAt  time.Time // the reply's time, if it answers its parent
}

type answer struct {
	parentID int64
	at       time.Time
}

// chunk is a run of records on its way through the pipeline.
type chunk struct {
	first   int // the number of its first record
	items   []Item
	entries []entry
	err     error // the error after the items: io.EOF at the end
}

// job is a chunk to clean, and where its cleaned form goes.
type job struct {
	c    *chunk
	done chan<- *chunk
}

// run streams r through the pipeline: one goroutine reads chunks of
// records, GOMAXPROCS goroutines clean them (rendering and sanitising is
// where the time goes), and this one writes them, in the order read.
func (im *importer) run(ctx context.Context, r Reader) error {
	var err error
	if im.startID, err = im.tx.MaxCommentID(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait() // r is the caller's again once Import returns
	}()
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan job, workers)
	ordered := make(chan chan *chunk, 2*workers)
	wg.Add(1 + workers)
	go func() {
		defer wg.Done()
		defer close(jobs)
		defer close(ordered)
		readChunks(ctx, r, jobs, ordered)
	}()
	for range workers {
		go func() {
			defer wg.Done()
			for j := range jobs {
				entries, err := im.prepare(j.c.items, j.c.first)
				if err != nil {
					j.c.err = err
				}
				j.c.entries = entries
				j.c.items = nil
				j.done <- j.c
			}
		}()
	}
	for done := range ordered {
		var c *chunk
		select {
		case c = <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if c.err != nil && c.err != io.EOF {
			return c.err
		}
		if err := im.write(ctx, c.entries); err != nil {
			return err
		}
		if c.err == io.EOF {
			return im.finish(ctx)
		}
	}
	return ctx.Err()
}

// readChunks reads r into chunks until its end, an error or ctx is done,
// handing each chunk to the cleaners and, in order, to the writer.
func readChunks(ctx context.Context, r Reader, jobs chan<- job, ordered chan<- chan *chunk) {
	n := 1
	for {
		c := &chunk{first: n, items: make([]Item, 0, chunkSize)}
		for len(c.items) < chunkSize {
			it, err := r.Next()
			if err != nil {
				c.err = err
				break
			}
			c.items = append(c.items, it)
		}
		n += len(c.items)
		done := make(chan *chunk, 1)
		select {
		case ordered <- done:
		case <-ctx.Done():
			return
		}
		select {
		case jobs <- job{c: c, done: done}:
		case <-ctx.Done():
			return
		}
		if c.err != nil {
			return
		}
	}
}
