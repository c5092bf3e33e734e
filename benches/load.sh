#!/usr/bin/env bash
# Load measurement of the running server with wrk (apt-get install wrk): /healthz and the
# chapter 4 page in the same run, 16 connections, 10 s each, and the server's memory.
#
#   cargo build --release
#   PLAE_DATA_DIR=/tmp/plae-bench target/release/plae serve --bind 127.0.0.1:8090 &
#   benches/load.sh http://127.0.0.1:8090
#
# Everything stays on this machine: only loopback addresses are accepted.
set -euo pipefail
base=${1:-http://127.0.0.1:8090}
case "$base" in
  http://127.*|http://localhost*|http://\[::1\]*) ;;
  *) echo "refusing to load $base: loopback only" >&2; exit 2 ;;
esac
chapter="$base/books/soviet-history/chapters/4"
pid=$(pgrep -f "plae serve" | head -n 1 || true)

run() { # name, wrk args...
  local name=$1; shift
  local out; out=$(wrk -t2 -c16 -d10s --latency "$@")
  printf '%-28s %10s req/s  p50 %8s  p99 %8s\n' "$name" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")"
}

curl -fsS "$chapter" -o /dev/null   # render and cache the page once
run "/healthz" "$base/healthz"
run "chapter 4" "$chapter"
run "chapter 4 (gzip)" -H "Accept-Encoding: gzip" "$chapter"
run "chapter 4 (If-None-Match)" -H "If-None-Match: $(curl -fsSI "$chapter" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')" "$chapter"
run "/" "$base/"
if [ -n "$pid" ]; then
  grep -E 'VmRSS|VmHWM' "/proc/$pid/status" | tr -s ' \t' ' '
fi
