// Command flood checks that one address posting as fast as it can does not
// hurt anyone else. Against a running Parley server it seeds a few threads,
// then runs two phases of equal length: a baseline, in which readers GET
// the threads and a few real readers post a comment every 12 s each, and a
// flood, in which one more address sends 10,000 posts as fast as it can.
// It reports the readers' latency in both phases, what the flooder was
// answered, and whether every real comment was accepted and kept; it exits
// 1 if any of that misses its target. It imports the standard library only.
//
// Every client leaves from its own 127.0.0.0/8 source address (Linux routes
// the whole range to the loopback interface), because the server limits
// posts per TCP peer address. So the server must be on 127.0.0.0/8 too.
//
//	go run ./bench/flood -url http://127.0.0.1:8078 -site flood -origin http://flood.local
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Seeding: a few threads of a few comments, enough for the readers to read
// something real and for the legit posters to reply to.
const (
	seedThreads   = 3
	seedPerThread = 10
	maxFlood      = 10000 // the flood is bounded whatever the flags say
	maxLegit      = 80    // 127.0.0.10 to 127.0.0.89, below the seeding addresses
	maxP99Ratio   = 2.0   // phase B's reader p99 against phase A's
)

// options are the command's flags.
type options struct {
	url, site, origin string
	duration, warmup  time.Duration
	readers           int
	flood, floodConns int
	legit             int
	legitEvery        time.Duration
	ratePost          rate
	out               string
}

// rate is N per per, as the server's -rate-post; n 0 means no limit.
type rate struct {
	n   int
	per time.Duration
	raw string // as given
}

func (r rate) String() string { return r.raw }

func parseRate(s string) (rate, error) {
	if s = strings.TrimSpace(s); s == "0" {
		return rate{raw: s}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	count, err1 := strconv.Atoi(n)
	d, err2 := time.ParseDuration(per)
	if !ok || err1 != nil || err2 != nil || count < 1 || d <= 0 {
		return rate{}, fmt.Errorf("-rate-post: %q is not a rate such as 6/1m (or 0)", s)
	}
	return rate{n: count, per: d, raw: s}, nil
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("flood", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8078", "server base URL (on 127.0.0.0/8)")
	fs.StringVar(&o.site, "site", "flood", "site name")
	fs.StringVar(&o.origin, "origin", "http://flood.local", "the site's origin, sent as Origin and used for page URLs")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "length of each phase (baseline, then flood)")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured reading before the baseline")
	fs.IntVar(&o.readers, "readers", 32, "reader connections, all from 127.0.0.1")
	fs.IntVar(&o.flood, "flood", maxFlood, "posts the flooder sends from 127.0.0.2 (at most 10000)")
	fs.IntVar(&o.floodConns, "flood-conns", 8, "the flooder's connections")
	fs.IntVar(&o.legit, "legit", 8, "real posters, each from its own address 127.0.0.(10+i)")
	fs.DurationVar(&o.legitEvery, "legit-every", 12*time.Second, "how often each real poster posts (6/1m allows one every 10 s)")
	ratePost := fs.String("rate-post", "6/1m", "the server's -rate-post, which bounds how many flood posts may be accepted (0: not checked)")
	fs.StringVar(&o.out, "out", "", "write the results as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var errs []error
	var err error
	if o.ratePost, err = parseRate(*ratePost); err != nil {
		errs = append(errs, err)
	}
	o.url = strings.TrimRight(o.url, "/")
	if err := checkLoopback(o.url); err != nil {
		errs = append(errs, err)
	}
	if o.flood < 1 || o.flood > maxFlood {
		errs = append(errs, fmt.Errorf("-flood must be 1 to %d", maxFlood))
	}
	if o.legit < 1 || o.legit > maxLegit {
		errs = append(errs, fmt.Errorf("-legit must be 1 to %d", maxLegit))
	}
	if o.readers < 1 || o.floodConns < 1 {
		errs = append(errs, errors.New("-readers and -flood-conns must be at least 1"))
	}
	if o.duration <= 0 || o.legitEvery <= 0 || o.warmup < 0 {
		errs = append(errs, errors.New("-duration and -legit-every must be positive, -warmup not negative"))
	}
	return o, errors.Join(errs...)
}

// checkLoopback refuses any target outside 127.0.0.0/8: the flood is for
// one's own machine only.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("-url: %q is not an http(s) URL", raw)
	}
	ip := net.ParseIP(u.Hostname())
	if ip == nil || ip.To4() == nil || !ip.IsLoopback() {
		return fmt.Errorf("-url: %q is not an address in 127.0.0.0/8 (names are not accepted)", u.Hostname())
	}
	return nil
}

func main() {
	o, err := parseOptions(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "flood:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := run(ctx, o, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "flood:", err)
		os.Exit(1)
	}
	printReport(os.Stdout, rep)
	if o.out != "" {
		if err := writeJSON(o.out, rep); err != nil {
			fmt.Fprintln(os.Stderr, "flood:", err)
			os.Exit(1)
		}
	}
	if len(rep.Failures) > 0 {
		os.Exit(1)
	}
}

// run seeds, runs both phases and checks the result; progress goes to log.
func run(ctx context.Context, o options, log io.Writer) (*report, error) {
	readerClient := newClient(o, loopback(readerAddr), o.readers)
	if err := readerClient.health(ctx); err != nil {
		return nil, err
	}
	// Page URLs carry the start time, so that runs never share a thread.
	runID := strconv.FormatInt(time.Now().UnixNano(), 36)
	fmt.Fprintf(log, "seeding %d threads of %d comments from %d addresses\n",
		seedThreads, seedPerThread, (seedThreads*seedPerThread+seedPerAddr-1)/seedPerAddr)
	threads, err := seed(ctx, o, runID, seedThreads, seedPerThread)
	if err != nil {
		return nil, err
	}
	started := time.Now()
	base := started.Add(o.warmup) // the start of phase A
	mid, end := base.Add(o.duration), base.Add(2*o.duration)
	fmt.Fprintf(log, "warm-up %s, baseline %s, flood %s\n", o.warmup, o.duration, o.duration)

	var (
		wg      sync.WaitGroup
		stop    atomic.Bool
		samples [][]sample
		posts   []legitPost
		fr      *floodResult
	)
	t := time.AfterFunc(time.Until(end), func() { stop.Store(true) })
	defer t.Stop()
	wg.Go(func() { samples = readers(ctx, readerClient, threads, o.readers, base, &stop) })
	wg.Go(func() { posts = legitPosters(ctx, o, runID, threads, base, end) })
	wg.Go(func() { fr = flood(ctx, o, threads, base, mid, end) })
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fmt.Fprintln(log, "checking the threads")
	checked, lost, err := verify(ctx, readerClient, threads, posts)
	if err != nil {
		return nil, err
	}
	rep := newReport(o, started, samples, posts, fr)
	rep.Verified, rep.Lost = checked, lost
	rep.judge()
	return rep, nil
}
