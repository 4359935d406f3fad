#!/usr/bin/env bash
# Dashboard latency on a real terminal (tmux): time to the first frame with figures, and key
# press → frame for view switches, drill-downs and month changes, with RSS, as the dashboard
# itself measures them (COST_TIMINGS=1). Also the whole `--snapshot` run under hyperfine.
#
#   bench/dashboard.sh STORE.db [CONFIG_DIR] [ROUNDS]
#
# Needs tmux and hyperfine, and a release build (cargo build --release).
set -euo pipefail
store=${1:?usage: bench/dashboard.sh STORE.db [CONFIG_DIR] [ROUNDS]}
confdir=${2:-.}
rounds=${3:-5}
bin=$(cd "$(dirname "$0")/.." && pwd)/target/release/cost
log=$(mktemp)
sock=cost-bench-$$
cd "$confdir"
tmux -L "$sock" new-session -d -x 160 -y 48 \
  "COST_NOW='${COST_NOW:-}' COST_DB='$store' COST_TIMINGS=1 '$bin' dashboard 2>'$log'; sleep 2"
sleep 2
keys=()
for _ in $(seq "$rounds"); do
  keys+=(1 2 3 4 5 6 7 8 2 Enter Escape 3 j j j 8 j Enter Tab Tab '[' ']')
done
for k in "${keys[@]}"; do
  tmux -L "$sock" send-keys "$k"
  # Month changes reload; everything else is drawn from memory.
  if [[ $k == '[' || $k == ']' ]]; then sleep 1.5; else sleep 0.15; fi
done
tmux -L "$sock" send-keys q
sleep 1
tmux -L "$sock" kill-server 2>/dev/null || true
grep -h "dashboard timings" "$log"
rm -f "$log"
echo "--snapshot overview (loads the month, renders, exits):"
COST_DB="$store" hyperfine -N --warmup 2 --runs 10 "$bin dashboard --snapshot overview --size 160x48" 2>&1 | grep -E "Time|Range"
