#!/usr/bin/env bash
# bench/run.sh: build Parley and the load generator, then, for each log level
# and each of REPEATS runs, start a fresh server on a fresh database, measure
# its idle memory, load it (GETs of a 100- and a 1,000-comment thread, then
# POSTs) and stop it. Prints the median, min and max of every figure across
# the runs, and the weight of the embed's JS and CSS.
#
# Environment:
#   REPEATS=5            runs per log level
#   LOG_LEVELS="warn info"  server log levels to measure (info logs every request)
#   CONNS=32             load generator connections
#   GET_DURATION=10s     measured GET load per thread size
#   POST_DURATION=30s    measured POST load
#   LIVE=0               comments a second posted to each thread while it is read
#   PORT=8077            server port on 127.0.0.1
#   OUT=bench/results/DATE  where per-run JSON and the summary go
#   ENGINES="sqlite"     databases to measure: sqlite and/or postgres
#   REPLICAS="1"         with postgres: 1 and/or 2 servers on the database;
#                        with 2 the load takes turns between them
#                        (figures labelled pg2-LEVEL)
#   PG_URL=postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable
#                        a PostgreSQL server (each run gets a new database on
#                        it; its figures are labelled pg-LEVEL)
#
# "bench/run.sh summarize DIR" prints the summary of the runs in DIR again.
#
# Needs go, curl, jq and gzip. No CPU pinning: the server and the load
# generator share the machine's cores, which is the stated condition.
set -euo pipefail
cd "$(dirname "$0")/.."

REPEATS=${REPEATS:-5}
LOG_LEVELS=${LOG_LEVELS:-warn info}
CONNS=${CONNS:-32}
GET_DURATION=${GET_DURATION:-10s}
POST_DURATION=${POST_DURATION:-30s}
LIVE=${LIVE:-0}
ENGINES=${ENGINES:-sqlite}
REPLICAS=${REPLICAS:-1}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable}
PORT=${PORT:-8077}
OUT=${OUT:-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
ADDR=127.0.0.1:$PORT
BASE=http://$ADDR
ADDR2=127.0.0.1:$((PORT + 1))
ORIGIN=http://bench.local

# Median (mean of the middle two for an even count), min and max per figure.
summary() {
  printf '%-6s %-28s %12s %12s %12s %4s\n' level figure median min max runs
  sort -k1,1 -k2,2 -k3,3g "$1" | awk '
    function flush() {
      if (n == 0) return
      med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      printf "%-6s %-28s %12.2f %12.2f %12.2f %4d\n", lvl, key, med, v[1], v[n], n
    }
    { if ($1 != lvl || $2 != key) { flush(); lvl = $1; key = $2; n = 0 } v[++n] = $3 }
    END { flush() }'
}
# "run.sh summarize DIR" prints the summary of an earlier run again.
if [ "${1:-}" = summarize ]; then
  summary "$2/figures.txt"
  exit 0
fi

for tool in go curl jq gzip; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done
if curl -s -o /dev/null "$BASE/healthz"; then
  echo "run.sh: something already listens on $ADDR; set PORT" >&2
  exit 1
fi

mkdir -p "$OUT"
bin=$(mktemp -d)
server_pid=
server2_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$server2_pid" ]; then kill "$server2_pid" 2>/dev/null || true; wait "$server2_pid" 2>/dev/null || true; fi
  rm -rf "$bin"
}
trap cleanup EXIT

echo "== building"
go build -o "$bin/parley.built" ./server/cmd/parley
go build -o "$bin/load" ./bench/load
# Run a copy: the file as the linker wrote it (through mmap) gets more of
# its read-only pages mapped at start than a copy of it (page cache
# state), which inflated idle RSS by up to 4 MB; see BENCHMARKS, idle RSS.
cp "$bin/parley.built" "$bin/parley" && rm "$bin/parley.built"

machine() {
  echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "nproc:   $(nproc)"
  echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory:  $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
  echo "go:      $(go version)"
  echo "kernel:  $(uname -r)"
  echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo none)"
}
machine | tee "$OUT/machine.txt"

# busy_s prints the CPU seconds all processors have been busy since boot
# (user, nice, system, irq, steal), and softirq_s those spent in soft
# interrupts: on loopback that is mostly TCP work charged to no process.
busy_s() { awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" {print ($2 + $3 + $4 + $7 + $9) / hz}' /proc/stat; }
softirq_s() { awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" {print $8 / hz}' /proc/stat; }

# proc_cpu_s PID prints the user and system seconds of a process.
proc_cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

# rss_kb PID FIELD prints a /proc/PID/status memory field in kB.
rss_kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }

# pg_cpu_s prints the user and system seconds of every PostgreSQL process
# (the backends serving Parley's pool stay up for the whole run).
pg_cpu_s() {
  local hz total=0 pid
  hz=$(getconf CLK_TCK)
  for pid in $(pgrep -x postgres || true); do
    total=$(awk -v t="$total" -v hz="$hz" '{print t + ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null || echo "$total")
  done
  echo "$total"
}

# start_server LEVEL DB starts Parley on DB (a SQLite file or a PostgreSQL
# URL) and waits for /healthz.
start_server() {
  "$bin/parley" -addr "$ADDR" -db "$2" -site "bench=$ORIGIN" -log-level "$1" -rate-post 0 -rate-site 0 -spam-score=false 2>/dev/null &
  server_pid=$!
  for _ in $(seq 100); do
    curl -sf -o /dev/null "$BASE/healthz" && return 0
    sleep 0.1
  done
  echo "run.sh: server did not answer /healthz" >&2
  exit 1
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=
  if [ -n "$server2_pid" ]; then
    kill -TERM "$server2_pid"
    wait "$server2_pid" || true
    server2_pid=
  fi
}

# start_second LEVEL DB starts a second replica on ADDR2.
start_second() {
  "$bin/parley" -addr "$ADDR2" -db "$2" -site "bench=$ORIGIN" -log-level "$1" -rate-post 0 -rate-site 0 -spam-score=false 2>/dev/null &
  server2_pid=$!
  for _ in $(seq 100); do
    curl -sf -o /dev/null "http://$ADDR2/healthz" && return 0
    sleep 0.1
  done
  echo "run.sh: the second replica did not answer /healthz" >&2
  exit 1
}

# servers_cpu_s prints the CPU seconds of the running servers together.
servers_cpu_s() {
  local a b=0
  a=$(proc_cpu_s "$server_pid")
  [ -n "$server2_pid" ] && b=$(proc_cpu_s "$server2_pid")
  awk -v a="$a" -v b="$b" 'BEGIN {print a + b}'
}

# embed_weight prints what the embed costs a reader, as files and as served.
embed_weight() {
  local files=(embed/embed.js themes/base.css themes/auto.css) missing=0 f
  for f in "${files[@]}"; do [ -f "$f" ] || { echo "embed_missing $f"; missing=1; }; done
  if [ $missing = 0 ]; then
    echo "embed_files_gzip9_bytes $(cat "${files[@]}" | gzip -9 | wc -c)"
  fi
  local total=0 n ok=1
  for f in /embed.js /themes/base.css /themes/auto.css; do
    n=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{http_code} %{size_download}' "$BASE$f")
    echo "embed_served ${f} status ${n% *} bytes ${n#* }"
    if [ "${n% *}" = 200 ]; then total=$((total + ${n#* })); else ok=0; fi
  done
  if [ $ok = 1 ]; then echo "embed_served_gzip_bytes $total"; else echo "embed_served_gzip_bytes incomplete (a file did not answer 200)"; fi
}

# figures FILE LEVEL prints one "name value" line per figure of a run.
figures() {
  jq -r --arg l "$2" '
    (.get[] | ("get\(.comments)" as $p |
      "\($l) \($p)_rps \(.rps)", "\($l) \($p)_p50_ms \(.p50_ms)", "\($l) \($p)_p90_ms \(.p90_ms)",
      "\($l) \($p)_p99_ms \(.p99_ms)", "\($l) \($p)_max_ms \(.max_ms)", "\($l) \($p)_errors \(.errors)",
      "\($l) \($p)_bytes_per_response \(.bytes_per_response)")),
    (.post | "\($l) post_per_s \(.rps)", "\($l) post_ok \(.ok)", "\($l) post_p50_ms \(.p50_ms)",
      "\($l) post_p99_ms \(.p99_ms)", "\($l) post_max_ms \(.max_ms)", "\($l) post_errors \(.errors)")' "$1"
}

figs="$OUT/figures.txt"
: >"$figs"
failed=0
for engine in $ENGINES; do
for replicas in $REPLICAS; do
  [ "$engine" = sqlite ] && [ "$replicas" != 1 ] && continue
for level0 in $LOG_LEVELS; do
  level=$level0
  [ "$engine" = postgres ] && level=pg-$level0
  [ "$replicas" = 2 ] && level=pg2-$level0
  for r in $(seq "$REPEATS"); do
    echo "== $engine, log-level $level0, run $r of $REPEATS"
    db=$(mktemp -d)
    dsn=$db/b.db
    if [ "$engine" = postgres ]; then
      pgdb=bench_$(date +%s)_$r
      psql "$PG_URL" -qc "CREATE DATABASE $pgdb" >/dev/null
      base_url=${PG_URL%%\?*}
      dsn="${base_url%/*}/$pgdb${PG_URL#"$base_url"}"
    fi
    start_server "$level0" "$dsn"
    urls=$BASE
    if [ "$replicas" = 2 ]; then
      start_second "$level0" "$dsn"
      urls="$BASE,http://$ADDR2"
    fi
    curl -sf -o /dev/null "$BASE/healthz"
    sleep 2
    for f in VmRSS:idle_rss_mb RssAnon:idle_rss_anon_mb RssFile:idle_rss_file_mb; do
      echo "$level ${f#*:} $(awk -v k="$(rss_kb "$server_pid" "${f%%:*}")" 'BEGIN {print k / 1024}')" >>"$figs"
    done
    if [ "$level" = "$(echo $LOG_LEVELS | cut -d' ' -f1)" ] && [ "$r" = 1 ]; then
      embed_weight | tee "$OUT/embed.txt"
    fi
    pg0=$(pg_cpu_s)
    busy0=$(busy_s) sirq0=$(softirq_s) srv0=$(servers_cpu_s) t0=$(date +%s.%N)
    "$bin/load" -url "$urls" -site bench -origin "$ORIGIN" -conns "$CONNS" -mode all \
      -duration "$GET_DURATION" -post-duration "$POST_DURATION" -live "$LIVE" -out "$OUT/$level-$r.json" || failed=1
    # Where the machine's CPU went during the run: the server, the load
    # generator, and anything else (other processes: the noise). Loopback
    # TCP work done in soft interrupts is charged both to /proc/stat's
    # softirq and to the process that was running, so "other" is busy time
    # (softirq included) less the two processes; it is approximate, to a few
    # percentage points, because the kernel counts the two differently.
    awk -v l="$level" -v b0="$busy0" -v b1="$(busy_s)" -v s0="$srv0" -v s1="$(servers_cpu_s)" \
      -v q0="$sirq0" -v q1="$(softirq_s)" -v t0="$t0" -v t1="$(date +%s.%N)" -v n="$(nproc)" \
      -v ld="$(jq .cpu_s "$OUT/$level-$r.json")" 'BEGIN {
        cap = (t1 - t0) * n
        printf "%s cpu_server_pct %.1f\n%s cpu_load_pct %.1f\n%s cpu_softirq_pct %.1f\n%s cpu_other_pct %.1f\n",
          l, 100 * (s1 - s0) / cap, l, 100 * ld / cap, l, 100 * (q1 - q0) / cap,
          l, 100 * ((b1 - b0) + (q1 - q0) - (s1 - s0) - ld) / cap }' >>"$figs"
    # CPU per request: Parley's and PostgreSQL's CPU time over all the
    # requests of the run (GETs and POSTs), in milliseconds.
    awk -v l="$level" -v s0="$srv0" -v s1="$(servers_cpu_s)" -v p0="$pg0" -v p1="$(pg_cpu_s)" \
      -v n="$(jq '[.get[].requests, .post.requests] | add' "$OUT/$level-$r.json")" -v pg="$engine" 'BEGIN {
        printf "%s cpu_ms_per_request_parley %.4f\n", l, 1000 * (s1 - s0) / n
        if (pg == "postgres") printf "%s cpu_ms_per_request_postgres %.4f\n", l, 1000 * (p1 - p0) / n }' >>"$figs"
    echo "$level peak_rss_mb $(awk -v k="$(rss_kb "$server_pid" VmHWM)" 'BEGIN {print k / 1024}')" >>"$figs"
    figures "$OUT/$level-$r.json" "$level" >>"$figs"
    stop_server
    rm -rf "$db"
    if [ "$engine" = postgres ]; then psql "$PG_URL" -qc "DROP DATABASE $pgdb WITH (FORCE)" >/dev/null; fi
  done
done
done
done

echo
echo "== medians over $REPEATS runs per log level (results in $OUT)"
summary "$figs" | tee "$OUT/summary.txt"
[ -f "$OUT/embed.txt" ] && cat "$OUT/embed.txt"
exit $failed
