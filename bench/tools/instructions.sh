#!/usr/bin/env bash
# Instructions per request of one scenario-2 server (bench/servers/errors.ts), counted by
# valgrind's callgrind on the main thread only, in steady state: the server runs under callgrind,
# gets 5,000 warm-up requests, its counters are zeroed, N more requests are sent, and the counters
# dumped. Instruction counts do not move with other work on the machine, unlike CPU time.
# Slow (about a minute per variant); needs valgrind. Run variants side by side to save time.
#   bench/tools/instructions.sh bare 1000
#   bench/tools/instructions.sh faultline 1000
set -euo pipefail
variant=${1:?variant of bench/servers/errors.ts}
n=${2:-1000}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/bench/.tmp/callgrind/$variant.$$
mkdir -p "$dir"
cd "$root"
# The server reports its port over IPC; under valgrind there is none, so write it to a file
# (NODE_OPTIONS splits on spaces: the preload has none).
export BENCH_PORT_FILE=$dir/port
export NODE_OPTIONS="--conditions=development --import=data:text/javascript,import{writeFileSync}from'node:fs';process.send??=(m)=>{if(m?.listening)writeFileSync(process.env.BENCH_PORT_FILE,String(m.listening));return!0}"
valgrind --tool=callgrind --smc-check=all-non-file --separate-threads=yes \
  --callgrind-out-file="$dir/cg.%p.out" node_modules/.bin/node bench/servers/errors.ts "$variant" \
  >"$dir/valgrind.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  [ -s "$dir/port" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "server exited; see $dir/valgrind.log" >&2; exit 1; }
  sleep 1
done
url=http://127.0.0.1:$(cat "$dir/port")/err
load() { node_modules/.bin/node node_modules/autocannon/autocannon.js -c 10 -a "$1" "$url" >/dev/null 2>&1; }
load 5000
callgrind_control -z "$pid" >/dev/null
load "$n"
callgrind_control -d "$pid" >/dev/null
sleep 1
main=$(ls "$dir"/cg.*.out.1-01)
total=$(grep -m1 '^totals:' "$main" | awk '{print $2}')
echo "$variant: $((total / n)) instructions per request (main thread; $main)"
echo "  top functions: callgrind_annotate --threshold=100 $main | head -40"
