// Command importbench measures imports: it writes a large export (Parley's
// own format, or Disqus XML in the shape Disqus documents), imports it into
// a new database through the code the "parley import" command runs, and
// prints the comments per second, the import's CPU time and the peak
// resident memory.
//
//	go run ./bench/importbench [-n 1000000] [-format parley|disqus] [-db FILE] [-keep]
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/parleyhq/parley/server/alert"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/transfer"
	"github.com/parleyhq/parley/server/transfer/formats"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "importbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("importbench", flag.ContinueOnError)
	n := fs.Int("n", 1_000_000, "comments to generate")
	perThread := fs.Int("per-thread", 50, "comments per thread")
	format := fs.String("format", "parley", "the file's format: parley or disqus")
	dir := fs.String("dir", "", "where the file and database go (default: a new temporary directory)")
	keep := fs.Bool("keep", false, "keep the file and the database")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the import to `file`")
	twice := fs.Bool("twice", false, "import the file a second time (which adds nothing) and report that too")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "parley" && *format != "disqus" {
		return fmt.Errorf("unknown format %q", *format)
	}
	work := *dir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "importbench-"); err != nil {
			return err
		}
	}
	if !*keep {
		defer os.RemoveAll(work)
	}
	file := filepath.Join(work, "export."+map[string]string{"parley": "jsonl", "disqus": "xml"}[*format])
	start := time.Now()
	size, err := generate(file, *format, *n, *perThread)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d comments (%s, %.0f MB) in %s; peak RSS so far %s\n", *n, *format,
		float64(size)/1e6, time.Since(start).Round(time.Millisecond), peakRSS())
	if *profile != "" {
		pf, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	db := filepath.Join(work, "bench.db")
	if err := importFile(ctx, file, *format, db, stdout, stderr); err != nil || !*twice {
		return err
	}
	return importFile(ctx, file, *format, db, stdout, stderr)
}

// importFile imports the file into the database db as "parley import" does
// (the same reader, markup, schedule and options), and reports.
func importFile(ctx context.Context, file, format, db string, stdout, stderr io.Writer) error {
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	site, err := st.SaveSite(ctx, comment.Site{Name: "bench", Origins: []string{"https://blog.example"}})
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	cr := &transfer.CountingReader{R: f}
	var r transfer.Reader = transfer.NewParleyReader(cr)
	if format == "disqus" {
		r = formats.NewDisqus(cr)
	}
	bar := transfer.NewProgressBar(stderr, false, fi.Size(), cr.Count, time.Now)
	start, cpu0 := time.Now(), cpuTime()
	sum, err := transfer.Import(ctx, st, site, r, transfer.Options{Progress: bar.Update, Markup: markup.New(),
		Schedule: alert.NewSchedule()})
	bar.Done()
	if err != nil {
		return err
	}
	took, cpu := time.Since(start), cpuTime()-cpu0
	fmt.Fprintf(stdout, "imported %d comments in %d threads (%d skipped) in %s: %.0f comments/s; "+
		"CPU (user+sys) %s, %.0f comments per CPU-second; peak RSS %s\n",
		sum.Comments, sum.Threads, sum.Skipped, took.Round(time.Millisecond), float64(sum.Comments)/took.Seconds(),
		cpu.Round(time.Millisecond), float64(sum.Comments)/cpu.Seconds(), peakRSS())
	return nil
}

// cpuTime is the CPU time (user and system) the process has used so far:
// on a shared machine it measures an import better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident set size (VmHWM).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// generate writes n comments in threads of perThread to file, streaming.
func generate(file, format string, n, perThread int) (int64, error) {
	f, err := os.Create(file)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	g := newGenerator(w, n, perThread)
	if format == "disqus" {
		err = g.disqus()
	} else {
		err = g.parley()
	}
	err = errors.Join(err, w.Flush(), f.Close())
	if err != nil {
		return 0, err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
