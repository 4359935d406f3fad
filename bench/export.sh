#!/usr/bin/env bash
# Export benchmarks (docs/PERFORMANCE.md "Export"): `cost export --format jsonl` and
# `--format parquet` of a 1M-request store, wall time and peak RSS, and the re-import of the
# JSON lines into an empty store. Needs ../shared/tools/gen-logs and /usr/bin/time.
#
#   bench/export.sh [WORKDIR] [RECORDS]     (default /tmp/cost-bench-export, 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/cost-bench-export}
n=${2:-1000000}
gen=../shared/tools/gen-logs
mkdir -p "$work"
cargo build --release --quiet
cost=$PWD/target/release/cost
timed() { /usr/bin/time -f "  %e s wall, %U s user, %S s sys, peak RSS %M KB" "$@"; }

echo "== corpus and store ($n envelope records, 90 days, sessions)"
[ -f "$work/env-$n.jsonl" ] || $gen --format envelope --records "$n" --seed 1 --days 90 --sessions 20000 --out "$work/env-$n.jsonl" >/dev/null
[ -f "$work/store-$n.db" ] || "$cost" import "$work/env-$n.jsonl" --db "$work/store-$n.db" -q >/dev/null

echo "== cost export --format jsonl"
rm -f "$work/export.jsonl"
timed "$cost" export --db "$work/store-$n.db" --format jsonl --out "$work/export.jsonl" -q
ls -l "$work/export.jsonl" | awk '{print "  " $5 " bytes"}'

echo "== cost export --format parquet"
rm -rf "$work/parquet"
timed "$cost" export --db "$work/store-$n.db" --format parquet --out "$work/parquet" -q
du -sb "$work/parquet" | awk '{print "  " $1 " bytes"}'

echo "== cost import of the export into an empty store"
rm -f "$work/merged.db"*
timed "$cost" import "$work/export.jsonl" --db "$work/merged.db" -q >/dev/null
