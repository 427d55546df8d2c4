#!/usr/bin/env bash
# vshard next to etcd on this machine, in one run, with the same client for both:
#  1. write throughput: wrk, 16 connections with one request each, 1 KB values, random keys; each
#     target gets WARMUP s of the same load first (its rate is printed too: the JVM compiles meanwhile);
#     etcd (3 members, JSON gateway /v3/kv/put) to its leader and to a follower,
#     vshard (3 nodes, RF 3) with V 8 to one node (it leads some vShards and forwards the rest) and with
#     V 1 (one Raft group, as etcd has) to its leader;
#  2. a learner holding 100 MB brought to promotion: etcd `member add --learner` .. `member promote`
#     succeeds; vshard (4 nodes, RF 3, V 1: one vShard holds it all) learner add .. catch-up (lag <= 100,
#     the operator's default) .. cut-over Completed (the target votes, the source left), driven and timed
#     by bench/migrate.py in one process (polls every 20 ms; etcdctl promote is retried every 50 ms); where
#     vshard's time went is then read from the node logs (leader's snapshot, download, load, steps).
# Each system runs alone (the other is stopped). Prints a table and vshard/etcd ratios.
# V 1 is also measured through a follower (every write forwarded), as etcd is.
# Settings: WARMUP (s, default 180: under this load a node's JIT compiles for about three minutes, and V 8
# made 330-410 puts/s 60-90 s in but 800-1,130 after 3 min; WARMUP=60 shows the cold rate), DURATION (s, 30), MB (100),
# VSHARD_JAVA_OPTS (extra JVM flags for the nodes), PARTS ("throughput learner": which parts to run;
# "vshard-throughput" or "etcd-throughput" measures one system only), VSHARD_V ("8 1": which vShard counts
# the vshard throughput part runs; "1" runs only the one-group rows, whose state grows to hundreds of MB).
# Not part of the test suite.
# Usage: bench/side-by-side.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WARMUP=${WARMUP:-180}
DURATION=${DURATION:-30}
MB=${MB:-100}
VSHARD_V=${VSHARD_V:-8 1}
VALUE_KB=64
JAR="$ROOT/node-image/target/vshard-node.jar"
WORK=$(mktemp -d /tmp/vshard-bench.XXXXXX)
PIDS=()

# shellcheck source=bench/vshard-cluster.sh
source "$ROOT/bench/vshard-cluster.sh"
trap stop_processes EXIT
require_packages wrk=wrk etcd=etcd-server etcdctl=etcd-client curl=curl python3=python3
require_node_jar

stop_all() {
  stop_processes
  PIDS=()
}

# --- etcd -------------------------------------------------------------------------------------------
etcd_cluster() { # members: e0..e2 on 127.0.2.1-3
  local list="e0=http://127.0.2.1:2380,e1=http://127.0.2.2:2380,e2=http://127.0.2.3:2380"
  for i in 0 1 2; do start_etcd "e$i" "127.0.2.$((i + 1))" "$list" new; done
  until etcdctl --endpoints=127.0.2.1:2379,127.0.2.2:2379,127.0.2.3:2379 endpoint health >/dev/null 2>&1; do sleep 0.2; done
}

start_etcd() { # name ip initial-cluster state
  ETCDCTL_API=3 etcd --name "$1" --data-dir "$WORK/etcd-$1" --listen-peer-urls "http://$2:2380" \
    --initial-advertise-peer-urls "http://$2:2380" --listen-client-urls "http://$2:2379" \
    --advertise-client-urls "http://$2:2379" --initial-cluster "$3" --initial-cluster-state "$4" \
    > "$WORK/etcd-$1.log" 2>&1 &
  PIDS+=($!)
}

etcd_leader() { # prints "leader-ip follower-ip"
  local status
  status=$(ETCDCTL_API=3 etcdctl --endpoints=127.0.2.1:2379,127.0.2.2:2379,127.0.2.3:2379 endpoint status -w simple)
  echo "$(awk -F', ' '$5=="true"{sub(/:2379/,"",$1); print $1}' <<<"$status")" \
       "$(awk -F', ' '$5=="false"{sub(/:2379/,"",$1); print $1; exit}' <<<"$status")"
}

# --- vshard -----------------------------------------------------------------------------------------
admin() { # method node-ip path [body]
  curl -s -X "$1" -H "Authorization: Bearer bench-token" -H "Content-Type: application/json" \
    "http://$2:8081$3" ${4:+-d "$4"}
}

shard_view() { # of vShard 0, once it names a leader (a 503 answer, e.g. during an election, is retried)
  local view
  until view=$(admin GET 127.0.3.1 /admin/v1/vshards/0) && [ "$(json '"leader" in j' <<<"$view")" = True ]; do
    echo "view of vShard 0 without a leader, retrying: $view" >&2
    sleep 0.2
  done
  echo "$view"
}

vshard_leader_ip() { # of vShard 0
  local leader
  leader=$(shard_view | json 'j["leader"]')
  echo "127.0.3.$((${leader#n-} + 1))"
}

json() { # python expression over j (the JSON on stdin)
  python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"
}

now() { date +%s.%N; }

learner_breakdown() { # what the nodes logged of the migration of vShard 0 to n-3
  local logs=("$WORK"/vshard-1-n*.log)
  echo "vshard learner, from the node logs:" \
    "leader's snapshot $(grep -h -o 'before the learner joins, [0-9]* ms' "${logs[@]}" | grep -o '[0-9]* ms' | tail -1)," \
    "download $(grep -h -o 'checked on arrival) from n-[0-9]* in [0-9]* ms' "$WORK/vshard-1-n3.log" | grep -o '[0-9]* ms$' | tail -1)," \
    "load $(grep -h -E -o 'loaded snapshot \(t:[0-9]+, i:[1-9][0-9]*\) in [0-9]+ ms' "$WORK/vshard-1-n3.log" | grep -o '[0-9]* ms$' | tail -1);" \
    "learner add $(grep -h -o 'joined as a learner (migration bench); ms: .*' "${logs[@]}" | sed 's/.*ms: //' | tail -1);" \
    "cut-over $(grep -h -o 'ms per step (run+record): .*' "${logs[@]}" | sed 's/.*: //' | tail -1)"
}

# --- 1. throughput ----------------------------------------------------------------------------------
write_vshard_put_lua "$WORK/vshard-put.lua"
python3 - "$WORK/etcd-put.lua" <<'EOF'
import base64, sys
value = base64.b64encode(b"v" * 1024).decode()
open(sys.argv[1], "w").write('''
local b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function enc(s) -- base64, enough for short ASCII keys
  return ((s:gsub(".", function(x)
    local r, byte = "", x:byte()
    for i = 8, 1, -1 do r = r .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return b:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#s % 3 + 1])
end
request = function()
  local body = '{"key":"' .. enc("k" .. math.random(1, 1000000000)) .. '","value":"VALUE"}'
  return wrk.format("POST", "/v3/kv/put", {["Content-Type"]="application/json"}, body)
end
'''.replace("VALUE", value))
EOF

measure() { # label url lua -> "label|puts/s|p50|p99|puts/s during its warm-up" (each target is warmed up first)
  local out cold
  cold=$(wrk -t2 -c16 -d"${WARMUP}s" -s "$3" "$2" | awk '/Requests\/sec/{print $2}')
  out=$(wrk -t2 -c16 -d"${DURATION}s" --latency -s "$3" "$2")
  if grep -q "Non-2xx" <<<"$out"; then echo "$1: non-2xx answers: $out" >&2; exit 1; fi
  echo "$1|$(awk '/Requests\/sec/{print $2}' <<<"$out")|$(awk '$1=="50%"{print $2}' <<<"$out")|$(awk '$1=="99%"{print $2}' <<<"$out")|$cold"
}

PARTS=${PARTS:-throughput learner}
ROW_ETCD_LEADER="etcd, to the leader|0|-|-|0" ROW_ETCD_FOLLOWER="etcd, to a follower|0|-|-|0"
ROW_VSHARD="vshard V 8, to one node|0|-|-|0" ROW_VSHARD_ONE="vshard V 1, to the leader|0|-|-|0"
ROW_VSHARD_ONE_FOLLOWER="vshard V 1, to a follower|0|-|-|0"
ETCD_PROMOTE=0 VSHARD_CATCHUP=0 VSHARD_PROMOTE=0
if [[ $PARTS == *throughput* ]]; then
echo "1/2 write throughput (warm-up ${WARMUP}s, then ${DURATION}s each)" >&2
fi
if [[ $PARTS == *throughput* && $PARTS != *vshard-throughput* ]]; then
etcd_cluster
read -r ETCD_LEADER ETCD_FOLLOWER < <(etcd_leader)
ROW_ETCD_LEADER=$(measure "etcd, to the leader" "http://$ETCD_LEADER:2379" "$WORK/etcd-put.lua")
ROW_ETCD_FOLLOWER=$(measure "etcd, to a follower" "http://$ETCD_FOLLOWER:2379" "$WORK/etcd-put.lua")
stop_all
fi

if [[ $PARTS == *throughput* && $PARTS != *etcd-throughput* ]]; then
if [[ " $VSHARD_V " == *" 8 "* ]]; then
vshard_cluster 3 8
ROW_VSHARD=$(measure "vshard V 8, to one node" "http://127.0.3.1:8080" "$WORK/vshard-put.lua")
stop_all
fi

if [[ " $VSHARD_V " == *" 1 "* ]]; then
vshard_cluster 3 1 # one group, as etcd has: all 16 clients write to it, so group commit engages
LEADER_IP=$(vshard_leader_ip)
ROW_VSHARD_ONE=$(measure "vshard V 1, to the leader" "http://$LEADER_IP:8080" "$WORK/vshard-put.lua")
FOLLOWER_IP=127.0.3.1; [ "$LEADER_IP" = 127.0.3.1 ] && FOLLOWER_IP=127.0.3.2
ROW_VSHARD_ONE_FOLLOWER=$(measure "vshard V 1, to a follower" "http://$FOLLOWER_IP:8080" "$WORK/vshard-put.lua")
stop_all
fi

fi

# --- 2. learner holding MB to promotion -------------------------------------------------------------
if [[ $PARTS == *learner* ]]; then
# both learner clusters start on empty data dirs: until session 16 they reused the throughput part's, and the
# learner got its hundreds of MB of random keys on top of the MB below (etcd's learner too)
mkdir -p "$WORK/throughput"
for used in "$WORK"/etcd-e* "$WORK"/vshard-*-n*; do [ -e "$used" ] && mv "$used" "$WORK/throughput/"; done
COUNT=$((MB * 1024 / VALUE_KB))
echo "2/2 learner holding $MB MB ($COUNT values of $VALUE_KB KB) to promotion" >&2
etcd_cluster
read -r ETCD_LEADER _ < <(etcd_leader)
python3 "$ROOT/bench/load.py" etcd "$ETCD_LEADER:2379" "$COUNT" $((VALUE_KB * 1024)) >/dev/null
T0=$(now)
# etcd refuses a member change until every member has been connected for 5 s ("unhealthy cluster")
until added=$(ETCDCTL_API=3 etcdctl --endpoints="$ETCD_LEADER:2379" member add e3 --learner \
  --peer-urls=http://127.0.2.4:2380 2>/dev/null); do sleep 0.1; T0=$(now); done
NEW_ID=$(awk '/Member .* added/{print $2}' <<<"$added")
start_etcd e3 127.0.2.4 "e0=http://127.0.2.1:2380,e1=http://127.0.2.2:2380,e2=http://127.0.2.3:2380,e3=http://127.0.2.4:2380" existing
until ETCDCTL_API=3 etcdctl --endpoints="$ETCD_LEADER:2379" member promote "$NEW_ID" >/dev/null 2>&1; do sleep 0.05; done
ETCD_PROMOTE=$(python3 -c "print('%.2f' % ($(now) - $T0))")
stop_all

vshard_cluster 4 1
LEADER_IP=$(vshard_leader_ip)
SOURCE=$(shard_view | json '[v for v in j["voters"] if v != j["leader"]][0]')
python3 "$ROOT/bench/load.py" vshard "$LEADER_IP:8080" "$COUNT" $((VALUE_KB * 1024)) >/dev/null
read -r T_ADDED VSHARD_CATCHUP T_ACCEPTED VSHARD_PROMOTE < <(python3 "$ROOT/bench/migrate.py" 127.0.3.1:8081 bench-token "$SOURCE" n-3)
echo "vshard learner timeline (s from the learner add): add answered $T_ADDED, caught up $VSHARD_CATCHUP, cut-over accepted $T_ACCEPTED, Completed $VSHARD_PROMOTE" >&2
learner_breakdown >&2
stop_all
fi

# --- report ----------------------------------------------------------------------------------------
python3 - "$ROW_ETCD_LEADER" "$ROW_ETCD_FOLLOWER" "$ROW_VSHARD" "$ROW_VSHARD_ONE" "$ROW_VSHARD_ONE_FOLLOWER" "$ETCD_PROMOTE" "$VSHARD_CATCHUP" "$VSHARD_PROMOTE" "$MB" <<'EOF'
import sys
rows = [r.split("|") for r in sys.argv[1:6]]
etcd_promote, vs_catchup, vs_promote, mb = float(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8]), sys.argv[9]
print("side by side on this machine [bench/side-by-side.sh]")
if any(float(r[1]) > 0 for r in rows):
    print("%-28s %10s %9s %9s %16s" % ("writes, 16 clients, 1 KB", "puts/s", "p50", "p99", "during warm-up"))
    for label, rate, p50, p99, cold in rows:
        print("%-28s %10.0f %9s %9s %16.0f" % (label, float(rate), p50, p99, float(cold)))
    rate = lambda i: float(rows[i][1])
    ratio = lambda a, b: "%.2fx" % (rate(a) / rate(b)) if rate(b) > 0 else "-"
    print("puts/s, vshard / etcd: V 8 to one node / etcd to a follower = %s; V 1 to the leader / etcd to the leader = %s;"
          " V 1 to a follower / etcd to a follower = %s" % (ratio(2, 1), ratio(3, 0), ratio(4, 1)))
if etcd_promote > 0:
    print("learner holding %s MB to promotion: etcd %.2f s; vshard %.2f s (caught up after %.2f s, then the cut-over);"
          " time, vshard / etcd = %.2fx (caught up / etcd = %.2fx)"
          % (mb, etcd_promote, vs_promote, vs_catchup, vs_promote / etcd_promote, vs_catchup / etcd_promote))
EOF
