// Command load measures a running Parley server through its public API, as
// browsers use it: it seeds threads of fixed sizes with POSTs, reads each
// thread from many keep-alive connections and records every latency, then
// measures how many comments a second the server accepts. It imports the
// standard library only, so that it runs anywhere Go does.
//
//	go run ./bench/load -url http://127.0.0.1:8077 -site bench -origin http://bench.local
package main

import (
	"github.com/parleyhq/parley/bench/internal/loadkit"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	url, site, origin string
	conns             int
	duration          time.Duration
	postDuration      time.Duration
	warmup            time.Duration
	mode              string
	sizes             []int
	gzip              bool
	postThreads       int
	live              float64
	out               string
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8077", "server base URL; several, comma-separated, take turns (replicas)")
	fs.StringVar(&o.site, "site", "bench", "site name")
	fs.StringVar(&o.origin, "origin", "http://bench.local", "the site's origin, sent as Origin and used for page URLs")
	fs.IntVar(&o.conns, "conns", 32, "concurrent keep-alive connections")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of the GET load, per thread size")
	fs.DurationVar(&o.postDuration, "post-duration", 30*time.Second, "measured time of the POST load")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each measured phase")
	fs.StringVar(&o.mode, "mode", "all", "get, post or all")
	sizes := fs.String("comments", "100,1000", "comma-separated sizes of the threads to seed and read")
	fs.BoolVar(&o.gzip, "gzip", true, "send Accept-Encoding: gzip, as browsers do")
	fs.IntVar(&o.postThreads, "post-threads", 300, "page URLs the POST load spreads its comments over")
	fs.Float64Var(&o.live, "live", 0, "comments a second posted to each thread while it is read (0: none), as in a lively discussion")
	fs.StringVar(&o.out, "out", "", "write the results as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var errs []error
	for _, s := range strings.Split(*sizes, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("-comments: %q is not a positive number", s))
			continue
		}
		o.sizes = append(o.sizes, n)
	}
	if o.mode != "get" && o.mode != "post" && o.mode != "all" {
		errs = append(errs, fmt.Errorf("-mode: %q is not get, post or all", o.mode))
	}
	if o.conns < 1 {
		errs = append(errs, errors.New("-conns must be at least 1"))
	}
	if o.live < 0 {
		errs = append(errs, errors.New("-live cannot be negative"))
	}
	if o.postThreads < 1 {
		errs = append(errs, errors.New("-post-threads must be at least 1"))
	}
	urls := strings.Split(o.url, ",")
	for i := range urls {
		urls[i] = strings.TrimRight(strings.TrimSpace(urls[i]), "/")
	}
	o.url = strings.Join(urls, ",")
	return o, errors.Join(errs...)
}

// report is everything one run measured; it is what -out writes.
type report struct {
	Started  time.Time `json:"started"`
	URL      string    `json:"url"`
	Site     string    `json:"site"`
	Conns    int       `json:"conns"`
	Gzip     bool      `json:"gzip"`
	Live     float64   `json:"live_posts_per_s,omitempty"`
	WarmupS  float64   `json:"warmup_s"`
	Get      []*result `json:"get,omitempty"`
	Post     *result   `json:"post,omitempty"`
	Failures int64     `json:"failures"`
	// CPUSeconds is the processor time the load generator itself used
	// (user and system), which the server did not get.
	CPUSeconds float64 `json:"cpu_s"`
}

func main() {
	o, err := parseOptions(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := run(ctx, o, os.Stderr)
	if rep != nil {
		rep.CPUSeconds = cpuSeconds()
		printTable(os.Stdout, rep)
		if o.out != "" {
			if werr := writeJSON(o.out, rep); werr != nil {
				fmt.Fprintln(os.Stderr, "load:", werr)
				os.Exit(1)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	if rep.Failures > 0 {
		fmt.Fprintf(os.Stderr, "load: %d requests failed\n", rep.Failures)
		os.Exit(1)
	}
}

// run seeds and measures as the mode says; progress goes to log.
func run(ctx context.Context, o options, log io.Writer) (*report, error) {
	c := newClient(o)
	if err := c.health(ctx); err != nil {
		return nil, err
	}
	rep := &report{Started: time.Now().UTC(), URL: o.url, Site: o.site, Conns: o.conns, Gzip: o.gzip, Live: o.live,
		WarmupS: o.warmup.Seconds()}
	// Page URLs carry the start time, so that runs against one database
	// never add to each other's threads.
	runID := strconv.FormatInt(time.Now().UnixNano(), 36)
	if o.mode != "post" {
		for _, n := range o.sizes {
			pageURL := fmt.Sprintf("%s/posts/seed-%d-%s/", o.origin, n, runID)
			fmt.Fprintf(log, "seeding %d comments into %s\n", n, pageURL)
			if err := c.seed(ctx, pageURL, n); err != nil {
				return rep, err
			}
			fmt.Fprintf(log, "reading it from %d connections for %s\n", o.conns, o.duration)
			r := c.loadGet(ctx, pageURL, o.warmup, o.duration)
			r.Name, r.Comments = fmt.Sprintf("GET %d", n), n
			rep.Get = append(rep.Get, r)
			rep.Failures += r.Errors
			if r.Live != nil {
				rep.Failures += r.Live.Errors
			}
		}
	}
	if o.mode != "get" {
		fmt.Fprintf(log, "posting from %d connections over %d pages for %s\n", o.conns, o.postThreads, o.postDuration)
		r := c.loadPost(ctx, runID, o.warmup, o.postDuration)
		r.Name = "POST"
		rep.Post = r
		rep.Failures += r.Errors
	}
	return rep, ctx.Err()
}

// cpuSeconds is the user and system time this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func writeJSON(path string, rep *report) error { return loadkit.WriteJSON(path, rep) }

// printTable writes one line per measured phase.
func printTable(w io.Writer, rep *report) {
	fmt.Fprintf(w, "\n%s  conns=%d  gzip=%v", rep.URL, rep.Conns, rep.Gzip)
	if rep.Live > 0 {
		fmt.Fprintf(w, "  live=%g posts/s during GETs", rep.Live)
	}
	fmt.Fprintln(w)
	defer fmt.Fprintf(w, "load generator CPU: %.1f s\n", rep.CPUSeconds)
	fmt.Fprintf(w, "%-9s %9s %8s %10s %8s %8s %8s %8s %7s %10s\n",
		"phase", "requests", "secs", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "bytes/resp")
	rows := append([]*result{}, rep.Get...)
	if rep.Post != nil {
		rows = append(rows, rep.Post)
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%-9s %9d %8.2f %10.1f %8.2f %8.2f %8.2f %8.2f %7d %10.0f\n",
			r.Name, r.Requests, r.Seconds, r.RPS, r.P50, r.P90, r.P99, r.Max, r.Errors, r.BytesPerResponse)
	}
	for _, r := range rows {
		if l := r.Live; l != nil {
			fmt.Fprintf(w, "  %s: %d live posts during the GETs, %d errors, p50 %.2f ms, p99 %.2f ms\n",
				r.Name, l.OK, l.Errors, l.P50, l.P99)
		}
		for what, n := range r.ErrorKinds {
			fmt.Fprintf(w, "  %s error: %s ×%d\n", r.Name, what, n)
		}
	}
}
