#!/usr/bin/env bash
# Export benchmarks (docs/PERFORMANCE.md "Export"): `cost export --format jsonl` and
# `--format parquet` of a 1M-request and a 10M-request store (wall time, peak RSS), and the
# import of the JSON lines into an empty store. Needs ../shared/tools/gen-logs and /usr/bin/time.
#
#   bench/export.sh [WORKDIR]     (default /tmp/cost-bench-export; needs ~8 GB free)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/cost-bench-export}
gen=../shared/tools/gen-logs
mkdir -p "$work"
cargo build --release --quiet
cost=$PWD/target/release/cost
timed() { /usr/bin/time -f "  %e s wall, %U s user, %S s sys, peak RSS %M KB" "$@"; }

echo "== 1M-request store (envelope, 90 days, agent sessions)"
[ -f "$work/env-1m.jsonl" ] || $gen --format envelope --records 1000000 --seed 1 --days 90 --sessions 20000 --out "$work/env-1m.jsonl" >/dev/null
[ -f "$work/store-1m.db" ] || "$cost" import "$work/env-1m.jsonl" --db "$work/store-1m.db" -q >/dev/null

echo "== cost export --format jsonl (1M)"
rm -f "$work/export-1m.jsonl"
timed "$cost" export --db "$work/store-1m.db" --format jsonl --out "$work/export-1m.jsonl" -q
echo "== cost export --format parquet (1M)"
rm -rf "$work/parquet-1m"
timed "$cost" export --db "$work/store-1m.db" --format parquet --out "$work/parquet-1m" -q
du -sb "$work/export-1m.jsonl" "$work/parquet-1m"
echo "== cost import of the 1M export into an empty store"
rm -f "$work/merged-1m.db"*
timed "$cost" import "$work/export-1m.jsonl" --db "$work/merged-1m.db" -q >/dev/null

echo "== 10M-request store: a 30-day 1M store copied ten times (bench/replicate.py)"
if [ ! -f "$work/store-10m.db" ]; then
  $gen --format envelope --records 1000000 --seed 2 --days 30 --sessions 20000 --out "$work/env-1m-30d.jsonl" >/dev/null
  "$cost" import "$work/env-1m-30d.jsonl" --db "$work/store-10m.db" -q >/dev/null
  python3 bench/replicate.py "$work/store-10m.db" 10
fi
echo "== cost export --format jsonl (10M, to a pipe)"
timed "$cost" export --db "$work/store-10m.db" --format jsonl -q | wc -c
echo "== cost export --format parquet (10M)"
rm -rf "$work/parquet-10m"
timed "$cost" export --db "$work/store-10m.db" --format parquet --out "$work/parquet-10m" -q
du -sb "$work/parquet-10m"
