#!/usr/bin/env bash
# End-to-end import and report benchmarks (README "Performance"). Needs ../shared/tools/gen-logs,
# /usr/bin/time and hyperfine; the peers are optional (a venv with `sqlite-utils`, and npm's
# `ccusage@20.0.24`), found through $SQLITE_UTILS and $CCUSAGE.
#
#   bench/import.sh [WORKDIR]     (default /tmp/cost-bench; needs ~12 GB free for the 10M store)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/cost-bench}
gen=../shared/tools/gen-logs
mkdir -p "$work"
cargo build --release --quiet
cost=$PWD/target/release/cost
timed() { /usr/bin/time -f "  %e s wall, %U s user, %S s sys, peak RSS %M KB" "$@"; }

echo "== corpora"
[ -f "$work/env-100k.jsonl" ] || $gen --format envelope --records 100000 --seed 1 --out "$work/env-100k.jsonl"
[ -f "$work/env-1m.jsonl" ] || $gen --format envelope --records 1000000 --seed 1 --out "$work/env-1m.jsonl"
[ -d "$work/cc-300k" ] || $gen --format claude-code --records 150000 --seed 1 --out "$work/cc-300k" --totals "$work/cc-300k.totals.json"
[ -d "$work/cc-1m" ] || $gen --format claude-code --records 485000 --seed 1 --out "$work/cc-1m" --totals "$work/cc-1m.totals.json"
[ -f "$work/env-1m-wide.jsonl" ] || $gen --format envelope --records 1000000 --teams 12 --templates 60 --seed 7 --out "$work/env-1m-wide.jsonl"
[ -d "$work/codex-1m" ] || python3 bench/gen-codex.py --events 1000000 --out "$work/codex-1m" --totals "$work/codex-1m.totals.json" >/dev/null

for n in 100k 1m; do
  echo "== cost import env-$n (on-disk store)"
  rm -f "$work/env-$n.db"*
  timed "$cost" import "$work/env-$n.jsonl" --db "$work/env-$n.db" -q >/dev/null
done

if [ -n "${SQLITE_UTILS:-}" ]; then
  echo "== sqlite-utils insert --nl env-1m (malformed lines removed first: it stops at the first one)"
  python3 -c "import json,sys
for l in open(sys.argv[1]):
    try: json.loads(l); sys.stdout.write(l)
    except ValueError: pass" "$work/env-1m.jsonl" > "$work/env-1m.valid.jsonl"
  rm -f "$work/su.db"
  timed "$SQLITE_UTILS" insert "$work/su.db" requests "$work/env-1m.valid.jsonl" --nl
fi

for c in cc-300k cc-1m; do
  echo "== Claude Code $c (308,711 / 998,213 lines): cost import + cost report --by day"
  rm -f "$work/cc.db"*
  timed "$cost" import "$work/$c" --db "$work/cc.db" -q >/dev/null
  timed "$cost" report --db "$work/cc.db" --by day --since 2026-09-01 --until 2026-09-30 -q >/dev/null
  echo "   again, nothing changed"
  timed "$cost" import "$work/$c" --db "$work/cc.db" -q >/dev/null
  if [ -n "${CCUSAGE:-}" ]; then
    echo "== ccusage daily --offline (same tree, UTC)"
    TZ=UTC CLAUDE_CONFIG_DIR="$work/$c" timed "$CCUSAGE" daily --offline --json --timezone UTC >"$work/ccusage-$c.json"
  fi
done

echo "== Codex corpus (1M token_count events, 30% re-emitted): cost import"
rm -f "$work/codex.db"*
timed "$cost" import "$work/codex-1m" --db "$work/codex.db" -q >/dev/null

echo "== 10M-request store: report --by team for one month"
if [ ! -f "$work/store-10m.db" ]; then
  "$cost" import "$work/env-1m-wide.jsonl" --db "$work/store-10m.db" -q >/dev/null
  python3 bench/replicate.py "$work/store-10m.db" 10
fi
hyperfine -N --warmup 3 --runs 30 \
  "$cost report --db $work/store-10m.db --by team --since 2027-01 -q" \
  "$cost report --db $work/store-10m.db --by template,model --since 2027-01 -q" \
  "$cost report --db $work/store-10m.db --by day --since 2026-09-01 --until 2027-06-30 -q"
