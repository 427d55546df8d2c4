#!/usr/bin/env bash
# Where a vshard cluster's CPU goes under bench/side-by-side.sh's write load: 3 nodes (RF 3, VSHARD_V vShards),
# wrk with 16 connections writing 1 KB values to one node; after WARMUP s of that load, async-profiler
# (itimer, per thread) on all three nodes for DURATION s while /proc/stat is read alongside. Prints the rate,
# the machine's CPU split, the share of the samples per kind of thread, and the hottest frames; keeps the
# collapsed stacks (one file per node, flame-graph input) and the node logs.
# async-profiler comes from Maven Central (tools.profiler:async-profiler, its jar holds the native library).
# Settings: VSHARD_V (8), WARMUP (s, 150), DURATION (s, 30), VSHARD_JAVA_OPTS (extra JVM flags for the nodes).
# Not part of the test suite.
# Usage: bench/profile.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VSHARD_V=${VSHARD_V:-8}
WARMUP=${WARMUP:-150}
DURATION=${DURATION:-30}
PROFILER_VERSION=3.0
JAR="$ROOT/node-image/target/vshard-node.jar"
WORK=$(mktemp -d /tmp/vshard-profile.XXXXXX)
PIDS=()

# shellcheck source=bench/vshard-cluster.sh
source "$ROOT/bench/vshard-cluster.sh"
trap stop_processes EXIT
require_packages wrk=wrk curl=curl python3=python3 unzip=unzip
require_node_jar

mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$PROFILER_VERSION" -DoutputDirectory="$WORK" >/dev/null
unzip -q -o "$WORK/async-profiler-$PROFILER_VERSION.jar" 'linux-x64/*' -d "$WORK/async-profiler"
AGENT="$WORK/async-profiler/linux-x64/libasyncProfiler.so"

profiler() { # pid command: jcmd splits its arguments at '=', so the agent's options go in quotes of their own
  jcmd "$1" JVMTI.agent_load "$AGENT" "\"$2\"" >/dev/null
}

cpu_ticks() { head -1 /proc/stat; }

vshard_cluster 3 "$VSHARD_V"
write_vshard_put_lua "$WORK/put.lua"
echo "V $VSHARD_V: ${WARMUP}s of warm-up, then ${DURATION}s profiled" >&2
wrk -t2 -c16 -d"${WARMUP}s" -s "$WORK/put.lua" http://127.0.3.1:8080 > "$WORK/warmup.txt"
wrk -t2 -c16 -d"$((DURATION + 10))s" --latency -s "$WORK/put.lua" http://127.0.3.1:8080 > "$WORK/wrk.txt" &
WRK=$!
sleep 5 # the measured window starts inside wrk's run, not at its connection set-up
for pid in "${PIDS[@]}"; do profiler "$pid" "start,event=itimer,interval=1ms,threads"; done
BEFORE=$(cpu_ticks)
sleep "$DURATION"
AFTER=$(cpu_ticks)
for i in "${!PIDS[@]}"; do profiler "${PIDS[$i]}" "stop,file=$WORK/n-$i.collapsed,collapsed"; done
wait "$WRK"

echo "profile of vshard V $VSHARD_V under write load [bench/profile.sh]"
echo "puts/s during warm-up $(awk '/Requests\/sec/{print $2}' "$WORK/warmup.txt"), while profiled" \
  "$(awk '/Requests\/sec/{print $2}' "$WORK/wrk.txt") (p99 $(awk '$1=="99%"{print $2}' "$WORK/wrk.txt"))"
python3 "$ROOT/bench/profile_summary.py" "$BEFORE" "$AFTER" "$WORK"/n-*.collapsed
echo "collapsed stacks and node logs: $WORK"
