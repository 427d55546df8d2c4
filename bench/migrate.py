#!/usr/bin/env python3
"""Migrates vShard 0 to a target through the admin API and times each phase from one process, so the
times hold no interpreter start-ups (polls every 20 ms, as `etcdctl member promote` is retried every 50 ms).

usage: migrate.py ADMIN_HOST:PORT TOKEN SOURCE TARGET
Prints one line: seconds from the learner add to "add answered" (Added; a 202 Joining is repeated), "caught up" (lag <= 100, the operator's
default), "cut-over accepted" and "Completed". Exits 1 when a step is refused, the cut-over does not complete, or a wait takes over DEADLINE seconds.
"""
import http.client
import json
import sys
import time

POLL = 0.02
DEADLINE = 120  # seconds each wait may take: a bench that hangs measures nothing


def main():
    target_addr, token, source, target = sys.argv[1:5]
    host, port = target_addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=60)

    def call(method, path, body=None):
        conn.request(method, path, json.dumps(body) if body is not None else None,
                     {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")

    def until(check, what):
        deadline = time.monotonic() + DEADLINE
        while True:
            status, view = call("GET", "/admin/v1/vshards/0")
            if status == 200 and check(view):
                return time.monotonic()
            if time.monotonic() > deadline:
                sys.exit("not %s after %d s; the last answer: %s %s" % (what, DEADLINE, status, view))
            time.sleep(POLL)

    def caught_up(view):
        return [p["lag"] is not None and p["lag"] <= 100 for p in view["peers"] if p["node"] == target] == [True]

    def finished(view):
        state = ((view.get("migration") or {}).get("cutover") or {}).get("state")
        return state not in (None, "Running")  # None: answered by no leader (a bounce)

    t0 = time.monotonic()
    while True:  # 202 Joining: the listener is still being staged; the repeat reports the outcome
        status, added = call("PUT", "/admin/v1/vshards/0/learners/" + target, {"migrationId": "bench", "source": source})
        if status != 202:
            break
        time.sleep(POLL)
    if status != 200 or added.get("state") != "Added":
        sys.exit("learner add failed: %s %s" % (status, added))
    t_added = time.monotonic()
    t_caught_up = until(caught_up, "caught up")
    status, cutover = call("POST", "/admin/v1/vshards/0/cutover", {
        "migrationId": "bench", "source": source, "target": target, "writePauseBudgetMicros": 5000000,
        "transferLeadership": False})
    if cutover.get("state") != "Running":
        sys.exit("cut-over refused: %s %s" % (status, cutover))
    t_accepted = time.monotonic()
    t_done = until(finished, "finished")
    state = call("GET", "/admin/v1/vshards/0")[1]["migration"]["cutover"]["state"]
    if state != "Completed":
        sys.exit("cut-over ended " + state)
    print("%.2f %.2f %.2f %.2f" % tuple(t - t0 for t in (t_added, t_caught_up, t_accepted, t_done)))


if __name__ == "__main__":
    main()
