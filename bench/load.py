#!/usr/bin/env python3
"""Loads values into etcd (JSON gateway) or vshard (data API) from concurrent keep-alive connections.

usage: load.py etcd|vshard HOST:PORT COUNT VALUE_BYTES [CONNECTIONS]
Prints the seconds it took; exits 1 on the first answer that is not 200.
"""
import base64
import http.client
import sys
import threading
import time


def main():
    kind, target, count, value_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    connections = int(sys.argv[5]) if len(sys.argv) > 5 else 16
    host, port = target.rsplit(":", 1)
    value = b"v" * value_bytes
    etcd_value = base64.b64encode(value).decode()
    next_key = iter(range(count))
    lock = threading.Lock()
    failures = []

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        while not failures:
            with lock:
                i = next(next_key, None)
            if i is None:
                return
            key = "big-%06d" % i
            if kind == "etcd":
                body = '{"key":"%s","value":"%s"}' % (base64.b64encode(key.encode()).decode(), etcd_value)
                conn.request("POST", "/v3/kv/put", body, {"Content-Type": "application/json"})
            else:
                conn.request("PUT", "/v1/kv/" + key, value, {"Content-Type": "application/octet-stream"})
            response = conn.getresponse()
            answer = response.read()
            if response.status != 200:
                failures.append("%s %s: %d %s" % (kind, key, response.status, answer[:300]))

    start = time.time()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        print(failures[0], file=sys.stderr)
        sys.exit(1)
    print("%.2f" % (time.time() - start))


if __name__ == "__main__":
    main()
