#!/usr/bin/env bash
# Saving drafts over HTTP under load, against a running server (it starts nothing): wrk on
# /healthz and on POST /api/segments/{id}/revisions (benches/save.lua) in the same run,
# 16 connections, 10 s each; then the database's count of new revisions is compared with
# the saves the server acknowledged (201 and 409 both store a revision).
#
#   cargo build --release
#   PLAE_DATA_DIR=/tmp/plae-bench target/release/plae serve --bind 127.0.0.1:8091 &
#   PLAE_DATA_DIR=/tmp/plae-bench target/release/plae user add bench --role translator --password-stdin <<<"bench-password-1"
#   TOKEN=$(PLAE_DATA_DIR=/tmp/plae-bench target/release/plae user token bench)
#   PLAE_DATA_DIR=/tmp/plae-bench benches/save.sh http://127.0.0.1:8091 "$TOKEN" [SPREAD]
#
# SPREAD says which segments the saves go to: `chapter` (default: every segment of the
# first chapter, so every save bumps that one chapter's content_version row), `book`
# (every segment of every chapter) or `chapters` (the segments of each chapter in turn,
# so that consecutive saves of a thread fall in different chapters), or `one` (a single
# segment: every save but one conflicts).
#
# The database: DATABASE_URL if set, else the private cluster under PLAE_DATA_DIR (its
# socket directory). Needs wrk, curl, jq and psql. Loopback addresses only.
set -euo pipefail
base=${1:?usage: save.sh BASE_URL TOKEN [chapter|chapters|book|one]}
token=${2:?usage: save.sh BASE_URL TOKEN [chapter|chapters|book|one]}
spread=${3:-chapter}
duration=${DURATION:-10s}
case "$base" in
  http://127.*|http://localhost*|http://\[::1\]*) ;;
  *) echo "refusing to load $base: loopback only" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)

if [ -n "${DATABASE_URL:-}" ]; then
  db=(psql "$DATABASE_URL")
else
  socket="${PLAE_DATA_DIR:-./var}/postgres/socket"
  [ -S "$socket/.s.PGSQL.5432" ] || { echo "no PostgreSQL socket in $socket: set PLAE_DATA_DIR or DATABASE_URL" >&2; exit 2; }
  db=(psql -h "$socket" -U plae plae)
fi
revisions() { "${db[@]}" -XAtqc "SELECT count(*) FROM revisions"; }

# The segments to save, with their current revision (the editor's base).
segments=$(mktemp)
trap 'rm -f "$segments"' EXIT
chapters=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/chapters" | jq -r '.chapters[].id')
case "$spread" in
  chapter|one) chapters=$(head -n 1 <<<"$chapters") ;;
esac
lists=()
for chapter in $chapters; do
  list=$(mktemp)
  curl -fsS -H "Authorization: Bearer $token" "$base/api/chapters/$chapter/segments" \
    | jq -r '.segments[] | "\(.id) \(.current_revision // "-")"' >"$list"
  lists+=("$list")
done
if [ "$spread" = chapters ]; then
  paste -d '\n' "${lists[@]}" | grep -v '^$' >"$segments"   # alternate chapters
else
  cat "${lists[@]}" >"$segments"
fi
rm -f "${lists[@]}"
[ "$spread" = one ] && head -n 1 "$segments" >"$segments.one" && mv "$segments.one" "$segments"
echo "spread: $spread, $(wc -l <"$segments") segments in $(wc -w <<<"$chapters") chapter(s)"

summary() { # name, wrk output
  printf '%-10s %10s req/s  p50 %8s  p99 %8s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$2")" \
    "$(awk '$1=="50%" {print $2}' <<<"$2")" \
    "$(awk '$1=="99%" {print $2}' <<<"$2")"
}

health=$(wrk -t2 -c16 -d"$duration" --latency "$base/healthz")
summary "/healthz" "$health"

before=$(revisions)
saves=$(wrk -t2 -c16 -d"$duration" --latency -s "$here/save.lua" "$base" -- "$token" "$segments" 2)
sleep 1   # requests still in flight when wrk stopped finish
after=$(revisions)
summary "saves" "$saves"
grep -E '^acknowledged|Non-2xx|Socket errors' <<<"$saves" || true

read -r saved conflicts unchanged other < <(awk '/^acknowledged/ {print $3, $5, $7, $9}' <<<"$saves")
acknowledged=$((saved + conflicts))
stored=$((after - before))
health_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$health")
save_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$saves")
echo "saves acknowledged (201 + 409): $acknowledged; revisions stored: $stored;" \
  "lost: $(( acknowledged > stored ? acknowledged - stored : 0 ))" \
  "(stored but not acknowledged, cut off when wrk stopped: $(( stored > acknowledged ? stored - acknowledged : 0 )))"
awk -v s="$save_rps" -v h="$health_rps" 'BEGIN { printf "save throughput: %.0f%% of /healthz\n", 100 * s / h }'
[ "$acknowledged" -le "$stored" ] && [ "$other" -eq 0 ]
