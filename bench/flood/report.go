package main

import (
	"github.com/parleyhq/parley/bench/internal/loadkit"

	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// report is everything one run measured; it is what -out writes.
type report struct {
	Started     time.Time `json:"started"`
	URL         string    `json:"url"`
	Site        string    `json:"site"`
	PhaseS      float64   `json:"phase_s"`
	WarmupS     float64   `json:"warmup_s"`
	Readers     int       `json:"readers"`
	Legit       int       `json:"legit"`
	LegitEveryS float64   `json:"legit_every_s"`
	FloodConns  int       `json:"flood_conns"`
	RatePost    string    `json:"rate_post"`

	A *readStats `json:"read_a"`
	B *readStats `json:"read_b"`
	// Flooding is phase B's reads while the flooder was sending.
	Flooding         *readStats `json:"read_b_flooding"`
	P99Ratio         float64    `json:"p99_ratio"`
	P99RatioFlooding float64    `json:"p99_ratio_flooding"`
	// Seconds are the readers' figures for each second of both phases.
	Seconds []*readStats `json:"read_seconds"`

	Flood  *floodResult `json:"flood"`
	LegitA legitStats   `json:"legit_a"`
	LegitB legitStats   `json:"legit_b"`
	Posts  []legitPost  `json:"legit_posts"`
	// Verified is how many legit 201s were looked for afterwards; Lost are
	// those that were not in their thread.
	Verified int         `json:"verified"`
	Lost     []legitPost `json:"lost"`
	Failures []string    `json:"failures"`
}

// readStats are the readers' figures over one span. Latencies are in ms.
type readStats struct {
	Requests int64   `json:"requests"`
	Errors   int64   `json:"errors"`
	Seconds  float64 `json:"seconds"`
	RPS      float64 `json:"rps"` // 200 answers a second
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
}

// legitStats are the real posters' figures in one phase.
type legitStats struct {
	Sent    int     `json:"sent"`
	Created int     `json:"created"`
	Other   int     `json:"other"`
	P50     float64 `json:"p50_ms"`
	Max     float64 `json:"max_ms"`
}

func newReport(o options, started time.Time, samples [][]sample, posts []legitPost, fr *floodResult) *report {
	r := &report{Started: started.UTC(), URL: o.url, Site: o.site, PhaseS: o.duration.Seconds(),
		WarmupS: o.warmup.Seconds(), Readers: o.readers, Legit: o.legit, LegitEveryS: o.legitEvery.Seconds(),
		FloodConns: o.floodConns, RatePost: o.ratePost.String(), Flood: fr, Posts: posts}
	d := o.duration
	r.A, r.B = reads(samples, 0, d), reads(samples, d, 2*d)
	r.Flooding = reads(samples, secs(fr.StartS), secs(fr.EndS))
	r.P99Ratio, r.P99RatioFlooding = ratio(r.B.P99, r.A.P99), ratio(r.Flooding.P99, r.A.P99)
	for t := time.Duration(0); t < 2*d; t += time.Second {
		r.Seconds = append(r.Seconds, reads(samples, t, min(t+time.Second, 2*d)))
	}
	r.LegitA, r.LegitB = legit(posts, 0, d), legit(posts, d, 2*d)
	return r
}

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// reads sums up the reader requests that started in [from, to).
func reads(samples [][]sample, from, to time.Duration) *readStats {
	s := &readStats{Seconds: (to - from).Seconds()}
	var lat []time.Duration
	var ok int64
	for _, rs := range samples {
		for _, x := range rs {
			if x.at < from || x.at >= to {
				continue
			}
			lat = append(lat, x.lat)
			if x.ok {
				ok++
			}
		}
	}
	s.Requests, s.Errors = int64(len(lat)), int64(len(lat))-ok
	if len(lat) == 0 || s.Seconds <= 0 {
		return s
	}
	slices.Sort(lat)
	s.RPS = float64(ok) / s.Seconds
	s.P50, s.P99, s.Max = ms(percentile(lat, 0.50)), ms(percentile(lat, 0.99)), ms(lat[len(lat)-1])
	return s
}

// legit sums up the real posts sent in [from, to).
func legit(posts []legitPost, from, to time.Duration) legitStats {
	var s legitStats
	var lat []time.Duration
	for _, p := range posts {
		if p.At < from || p.At >= to {
			continue
		}
		s.Sent++
		lat = append(lat, p.Latency)
		if p.Status == http.StatusCreated {
			s.Created++
		} else {
			s.Other++
		}
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		s.P50, s.Max = ms(percentile(lat, 0.50)), ms(lat[len(lat)-1])
	}
	return s
}

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// judge fills Failures with every acceptance target the run missed.
func (r *report) judge() {
	fail := func(format string, args ...any) { r.Failures = append(r.Failures, fmt.Sprintf(format, args...)) }
	if r.A.Errors+r.B.Errors > 0 {
		fail("readers: %d requests not answered 200", r.A.Errors+r.B.Errors)
	}
	if r.A.Requests == 0 || r.B.Requests == 0 {
		fail("readers: a phase has no requests")
	} else if r.P99Ratio > maxP99Ratio {
		fail("readers: p99 in the flood is %.2f× the baseline's (target ≤ %g×)", r.P99Ratio, maxP99Ratio)
	}
	f := r.Flood
	if f.Limited == 0 {
		fail("flooder: no 429 rate_limited answer")
	}
	if f.BadLimited > 0 {
		fail("flooder: %d 429s without the code rate_limited or a Retry-After in whole seconds", f.BadLimited)
	}
	if n := f.other(); n > 0 {
		fail("flooder: %d answers neither 201 nor 429: %v", n, f.Other)
	}
	if f.Allowed >= 0 && f.Created > f.Allowed {
		fail("flooder: %d posts accepted, more than the %d that -rate-post %s allows", f.Created, f.Allowed, r.RatePost)
	}
	if r.LegitA.Sent+r.LegitB.Sent == 0 {
		fail("legit: no post sent")
	}
	for _, p := range r.Posts {
		switch {
		case p.Status != http.StatusCreated:
			fail("legit: poster %d at %.1f s: status %d %s", p.Poster, p.At.Seconds(), p.Status, p.Code)
		case p.CommentStatus != "approved":
			fail("legit: comment %d (%s) answered 201 with status %q, so it is not in the public thread", p.ID, p.Token, p.CommentStatus)
		}
	}
	for _, p := range r.Lost {
		fail("legit: comment %d (%s), answered 201, is not in %s", p.ID, p.Token, p.Thread)
	}
}

func printReport(w io.Writer, r *report) {
	fmt.Fprintf(w, "\n%s site=%s: phases of %gs, %d readers, %d legit posters every %gs, flood of %d from %d connections\n",
		r.URL, r.Site, r.PhaseS, r.Readers, r.Legit, r.LegitEveryS, r.Flood.Planned, r.FloodConns)
	fmt.Fprintf(w, "%-22s %9s %8s %10s %8s %8s %8s %7s\n", "readers", "requests", "secs", "req/s", "p50 ms", "p99 ms", "max ms", "errors")
	for _, row := range []struct {
		name string
		s    *readStats
	}{{"A baseline", r.A}, {"B flood (whole phase)", r.B}, {"B while flooding", r.Flooding}} {
		s := row.s
		fmt.Fprintf(w, "%-22s %9d %8.2f %10.1f %8.2f %8.2f %8.2f %7d\n", row.name, s.Requests, s.Seconds, s.RPS, s.P50, s.P99, s.Max, s.Errors)
	}
	fmt.Fprintf(w, "p99 B/A %.2f× (target ≤ %g×); while flooding %.2f×\n", r.P99Ratio, maxP99Ratio, r.P99RatioFlooding)
	f := r.Flood
	fmt.Fprintf(w, "flooder: %d of %d sent in %.2f s (%.0f/s): %d × 201 (%d held), %d × 429 (Retry-After %d–%d s), %d bad 429, %d other",
		f.Sent, f.Planned, f.EndS-f.StartS, f.RPS, f.Created, f.Held, f.Limited, f.RetryAfterMin, f.RetryAfterMax, f.BadLimited, f.other())
	if f.Allowed >= 0 {
		fmt.Fprintf(w, "; -rate-post %s allows at most %d × 201", r.RatePost, f.Allowed)
	}
	fmt.Fprintf(w, "; %d × 201 after the first 429\n", f.CreatedAfter429)
	for kind, n := range f.Other {
		fmt.Fprintf(w, "  flooder: %s ×%d\n", kind, n)
	}
	for _, row := range []struct {
		name string
		s    legitStats
	}{{"A", r.LegitA}, {"B", r.LegitB}} {
		fmt.Fprintf(w, "legit posts %s: %d sent, %d × 201, %d other; p50 %.1f ms, max %.1f ms\n",
			row.name, row.s.Sent, row.s.Created, row.s.Other, row.s.P50, row.s.Max)
	}
	fmt.Fprintf(w, "afterwards: %d legit comments answered 201, %d of them missing from their threads\n", r.Verified, len(r.Lost))
	if len(r.Failures) == 0 {
		fmt.Fprintln(w, "acceptance: all targets met")
		return
	}
	fmt.Fprintln(w, "acceptance: FAILED")
	for _, s := range r.Failures {
		fmt.Fprintln(w, "  "+s)
	}
}

func writeJSON(path string, rep *report) error { return loadkit.WriteJSON(path, rep) }
