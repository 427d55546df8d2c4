# Sourced by the bench scripts (not run): what they share to set up a machine and a vshard cluster on loopback.
# Expects ROOT (the checkout), JAR (the node's fat jar), WORK (a scratch dir) and the array PIDS (the processes
# to stop); VSHARD_JAVA_OPTS adds JVM flags to every node.

stop_processes() { # every process in PIDS (the scripts' EXIT trap, and between their parts)
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

require_node_jar() { # builds the node's fat jar when this checkout has none yet
  [ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -pl node-image -am package -DskipTests)
}

require_packages() { # command=debian-package ...: installs the missing ones with apt-get
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null || missing+=("${pair#*=}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null \
      || { echo "could not install ${missing[*]}; install them and run again" >&2; exit 1; }
  fi
}

vshard_cluster() { # nodes vshards: initial members n-0..n-2 (RF 3) on 127.0.3.1-3, extra nodes join
  local nodes=$1 vshards=$2 members="n-0@127.0.3.1,n-1@127.0.3.2,n-2@127.0.3.3"
  echo bench-token > "$WORK/token"
  for ((i = 0; i < nodes; i++)); do
    # shellcheck disable=SC2086
    VSHARD_NODE_ID=n-$i VSHARD_CLUSTER_ID=bench VSHARD_ADVERTISE_HOST=127.0.3.$((i + 1)) VSHARD_BIND_HOST=127.0.3.$((i + 1)) \
      VSHARD_DATA_DIR="$WORK/vshard-$vshards-n$i" VSHARD_INITIAL_MEMBERS=$members VSHARD_VSHARDS=$vshards \
      VSHARD_REPLICATION_FACTOR=3 VSHARD_ADMIN_TOKEN_FILE="$WORK/token" \
      java -Xmx1g ${VSHARD_JAVA_OPTS:-} -jar "$JAR" > "$WORK/vshard-$vshards-n$i.log" 2>&1 &
    PIDS+=($!)
  done
  for ((i = 0; i < nodes; i++)); do
    until curl -sf "http://127.0.3.$((i + 1)):8080/readyz" >/dev/null; do sleep 0.2; done
  done
}

write_vshard_put_lua() { # file: wrk's script for PUTs of 1 KB values to random keys
  cat > "$1" <<'EOF'
local body = string.rep("v", 1024)
request = function()
  return wrk.format("PUT", "/v1/kv/k" .. math.random(1, 1000000000), {["Content-Type"]="application/octet-stream"}, body)
end
EOF
}
