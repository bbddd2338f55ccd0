package main

import (
	"context"
	"errors"
	"maps"

	"github.com/parleyhq/parley/server/alert"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/transfer"
	"github.com/parleyhq/parley/server/web"
)

// panelImporter runs the imports uploaded in the admin panel through the
// code of "parley import".
type panelImporter struct {
	st       *store.Store
	md       *markup.Markup
	schedule *alert.Schedule
}

// Import imports the file at path into the site. A malformed file is an
// Invalid comment.Error naming the line or record, safe to show.
func (p panelImporter) Import(ctx context.Context, site comment.Site, format, path string, progress func(web.ImportProgress)) (web.ImportResult, error) {
	if readerOf(format) == nil && format != "isso" {
		return web.ImportResult{}, comment.FieldError("format", "Unknown format %q.", format)
	}
	src, err := openSource(path, format)
	if err != nil {
		return web.ImportResult{}, comment.Errorf(comment.Invalid, "The file could not be read as %s.", format)
	}
	defer src.close()
	opt := transfer.Options{Markup: p.md, Schedule: p.schedule, Progress: func(pr transfer.Progress) {
		wp := web.ImportProgress{Records: pr.Records, Comments: pr.Comments, Skipped: pr.Skipped, BytesTotal: src.size}
		if src.read != nil {
			wp.BytesRead = src.read()
		}
		progress(wp)
	}}
	sum, err := transfer.Import(ctx, p.st, site, src.r, opt)
	res := web.ImportResult{Threads: sum.Threads, Comments: sum.Comments, Skipped: sum.Skipped, Reasons: map[string]int{}}
	maps.Copy(res.Reasons, sum.SkipReasons)
	maps.Copy(res.Reasons, sum.Changed)
	var se *transfer.SourceError
	if errors.As(err, &se) {
		return res, comment.Errorf(comment.Invalid, "The file is malformed at %s: %s.", se.Where, se.Err.Error())
	}
	return res, err
}
