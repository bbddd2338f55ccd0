package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/parleyhq/parley/server/alert"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/transfer"
	"github.com/parleyhq/parley/server/transfer/formats"
)

// isTransfer reports whether verb is one of runTransfer's commands.
func isTransfer(verb string) bool {
	return verb == "import" || verb == "export" || verb == "backup"
}

// runTransfer is "parley import|export|backup": a site's comments in from
// another system or a Parley export, out in Parley's format, and a copy of
// the whole (SQLite) database while the server runs.
//
//	parley import -site blog -format disqus [-map-url old=new]… [-alert-unanswered-since 2026-11-01] FILE
//	parley export -site blog [-o FILE]
//	parley backup FILE
//
// Each takes -db like the server. An import is one transaction: a bad
// record leaves the database as it was. Progress goes to stderr.
func runTransfer(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	switch args[0] {
	case "import":
		return runImport(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], getenv, stderr)
	case "backup":
		return runBackup(ctx, args[1:], getenv, stdout, stderr)
	}
	return fmt.Errorf("parley: unknown command %q", args[0])
}

// formatNames are the formats an import reads.
const formatNames = "commento, disqus, isso, parley, remark42, wordpress"

// readerOf returns the reader of a format that comes as a byte stream
// (Isso's is a database file), or nil.
func readerOf(format string) func(io.Reader) transfer.Reader {
	switch format {
	case "disqus":
		return formats.NewDisqus
	case "wordpress":
		return formats.NewWordPress
	case "remark42":
		return formats.NewRemark42
	case "commento":
		return formats.NewCommento
	case transfer.FormatParley:
		return func(r io.Reader) transfer.Reader { return transfer.NewParleyReader(r) }
	}
	return nil
}

// source is an import's open input.
type source struct {
	r     transfer.Reader
	size  int64        // bytes, if known
	read  func() int64 // bytes read so far, if known
	close func() error
}

// openSource opens path ("-": standard input) as format.
func openSource(path, format string) (*source, error) {
	if format == "isso" {
		r, err := formats.NewIsso(path)
		if err != nil {
			return nil, err
		}
		return &source{r: r, close: r.(io.Closer).Close}, nil
	}
	f := os.Stdin
	if path != "-" {
		var err error
		if f, err = os.Open(path); err != nil {
			return nil, err
		}
	}
	src := &source{}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		src.size = fi.Size()
	}
	cr := &transfer.CountingReader{R: f}
	src.r, src.read = readerOf(format)(cr), cr.Count
	src.close = func() error {
		var err error
		if c, ok := src.r.(io.Closer); ok {
			err = c.Close()
		}
		if f != os.Stdin {
			err = errors.Join(err, f.Close())
		}
		return err
	}
	return src, nil
}

// isTerminal reports whether w is a terminal, where the progress bar is
// redrawn in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("parley import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs, getenv)
	siteName := fs.String("site", "", "the site to import into (it must exist)")
	format := fs.String("format", "", "the source's format: "+formatNames)
	var opt transfer.Options
	fs.Func("map-url", "rewrite page addresses that start with `old=new` (repeatable)", func(s string) error {
		m, err := transfer.ParseURLMap(s)
		opt.MapURL = append(opt.MapURL, m)
		return err
	})
	fs.Func("alert-unanswered-since", "let reply alerts see imported unanswered comments created on or after this `date` (2026-11-01)", func(s string) error {
		var err error
		opt.AlertSince, err = parseDate(s)
		return err
	})
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 || *siteName == "" || *format == "" {
		return errors.New("usage: parley import -site NAME -format FORMAT [-map-url old=new]… [-alert-unanswered-since DATE] FILE")
	}
	if readerOf(*format) == nil && *format != "isso" {
		return fmt.Errorf("parley import: unknown format %q (%s)", *format, formatNames)
	}
	st, site, err := openSite(ctx, *db, *siteName)
	if err != nil {
		return err
	}
	defer st.Close()
	src, err := openSource(files[0], *format)
	if err != nil {
		return err
	}
	defer src.close()
	bar := transfer.NewProgressBar(stderr, isTerminal(stderr), src.size, src.read, time.Now)
	opt.Progress, opt.Markup, opt.Schedule = bar.Update, markup.New(), alert.NewSchedule()
	start := time.Now()
	sum, err := transfer.Import(ctx, st, site, src.r, opt)
	bar.Done()
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	printSummary(stdout, site.Name, sum, time.Since(start))
	return nil
}

// printSummary says what an import did, with the reasons for what it
// skipped or changed.
func printSummary(w io.Writer, site string, sum transfer.Summary, took time.Duration) {
	fmt.Fprintf(w, "imported %d comments and %d new threads into %s in %s\n", sum.Comments, sum.Threads, site, took.Round(time.Millisecond))
	counts := func(what string, total int, m map[string]int) {
		if total == 0 {
			return
		}
		reasons := slices.Sorted(maps.Keys(m))
		parts := make([]string, len(reasons))
		for i, r := range reasons {
			parts[i] = fmt.Sprintf("%s %d", r, m[r])
		}
		fmt.Fprintf(w, "%s %d: %s\n", what, total, strings.Join(parts, ", "))
	}
	counts("skipped", sum.Skipped, sum.SkipReasons)
	changed := 0
	for _, n := range sum.Changed {
		changed += n
	}
	counts("changed", changed, sum.Changed)
}

func runExport(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("parley export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs, getenv)
	siteName := fs.String("site", "", "the site to export")
	out := fs.String("o", "-", "the `file` to write (- for standard output)")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 0 || *siteName == "" {
		return errors.New("usage: parley export -site NAME [-o FILE]")
	}
	st, site, err := openSite(ctx, *db, *siteName)
	if err != nil {
		return err
	}
	defer st.Close()
	if *out == "-" {
		sum, err := transfer.Export(ctx, st, site, os.Stdout, time.Now())
		if err == nil {
			fmt.Fprintf(stderr, "exported %d comments in %d threads of %s\n", sum.Comments, sum.Threads, site.Name)
		}
		return err
	}
	// Written beside the target and renamed at the end, so that a failed
	// export never leaves a file that looks whole.
	f, err := os.CreateTemp(filepath.Dir(*out), ".parley-export-*")
	if err != nil {
		return fmt.Errorf("parley export: %w", err)
	}
	defer os.Remove(f.Name())
	sum, err := transfer.Export(ctx, st, site, f, time.Now())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), *out)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d comments in %d threads of %s to %s\n", sum.Comments, sum.Threads, site.Name, *out)
	return nil
}

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("parley backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs, getenv)
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return errors.New("usage: parley backup [-db FILE] BACKUP-FILE")
	}
	if _, err := os.Stat(files[0]); err == nil {
		return fmt.Errorf("parley backup: %s exists; name a new file", files[0])
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, files[0]); err != nil {
		return err
	}
	fi, err := os.Stat(files[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes)\n", *db, files[0], fi.Size())
	return nil
}

// dbFlag declares -db as the server and "parley user" take it.
func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	def := getenv("PARLEY_DB")
	if def == "" {
		def = "parley.db"
	}
	return fs.String("db", def, "database (SQLite file or postgres:// URL)")
}

// parseArgs parses flags before and after the positional arguments, which
// it returns: "parley import dump.xml -site blog" works too.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseDate reads a date (taken as UTC midnight) or an RFC 3339 time.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date like 2026-11-01 or a time like 2026-11-01T09:00:00Z", s)
	}
	return t, nil
}

// openStore opens the database, refusing to create a SQLite file that is
// not there: these commands work on an existing Parley.
func openStore(ctx context.Context, dsn string) (*store.Store, error) {
	if !store.IsPostgres(dsn) {
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("no database at %s (-db or PARLEY_DB names it): %w", dsn, err)
		}
	}
	return store.Open(ctx, dsn, store.Options{})
}

// openSite opens the database and finds the site named name.
func openSite(ctx context.Context, dsn, name string) (*store.Store, comment.Site, error) {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return nil, comment.Site{}, err
	}
	sites, err := st.FindSites(ctx)
	if err != nil {
		st.Close()
		return nil, comment.Site{}, err
	}
	for _, s := range sites {
		if s.Name == name {
			return st, s, nil
		}
	}
	st.Close()
	return nil, comment.Site{}, comment.Errorf(comment.UnknownSite,
		"There is no site named %q; start Parley once with -site %s=https://your.blog.example to create it.", name, name)
}
