#!/usr/bin/env python3
"""Summarizes bench/profile.sh's run: the machine's CPU split between two /proc/stat 'cpu' lines, then, over
async-profiler's collapsed stacks (recorded with 'threads', so each stack starts with its thread), the share of
the samples per kind of thread (ids, group ids and node names folded together) and the hottest frames.

usage: profile_summary.py PROC_STAT_BEFORE PROC_STAT_AFTER FILE.collapsed...
"""
import collections
import re
import sys

STAT_FIELDS = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
THREAD_NOISE = [(re.compile(r" tid=\d+\]"), ""), (re.compile(r"group-[0-9A-F]+"), "G"),
                (re.compile(r"\bn-\d+"), "N"), (re.compile(r"\d+"), "#")]


def cpu_split(before, after):
    deltas = [int(b) - int(a) for a, b in zip(before.split()[1:], after.split()[1:])]
    total = sum(deltas)
    return ", ".join("%s %.0f%%" % (name, 100.0 * d / total) for name, d in zip(STAT_FIELDS, deltas))


def thread_kind(first_frame):
    kind = first_frame.lstrip("[")
    for pattern, replacement in THREAD_NOISE:
        kind = pattern.sub(replacement, kind)
    return kind.rstrip("]")


def main():
    before, after, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    threads, leaves, total = collections.Counter(), collections.Counter(), 0
    for path in files:
        with open(path) as collapsed:
            for line in collapsed:
                stack, count = line.rstrip("\n").rsplit(" ", 1)
                frames = stack.split(";")
                samples = int(count)
                total += samples
                threads[thread_kind(frames[0])] += samples
                leaves[frames[-1]] += samples
    print("CPU of the machine (/proc/stat): " + cpu_split(before, after))
    if total == 0:
        sys.exit("no samples in " + " ".join(files))
    print("samples per kind of thread (%d samples):" % total)
    for kind, samples in threads.most_common(15):
        print("  %5.1f%%  %s" % (100.0 * samples / total, kind))
    print("hottest frames (self):")
    for frame, samples in leaves.most_common(15):
        print("  %5.1f%%  %s" % (100.0 * samples / total, frame))


if __name__ == "__main__":
    main()
