#!/usr/bin/env python3
"""Runs a baseline and a candidate command alternately and prints medians and their ratio.

  timeit.py NAME ROUNDS TARGET KIND BASELINE CANDIDATE [PRE_BASELINE PRE_CANDIDATE]

KIND is "ratio" (candidate/baseline must be <= TARGET) or "added" ((candidate-baseline)/baseline
must be <= TARGET). TARGET "-" shows the figure without a target (context for another case). Commands are shell strings; $BENCH_I is the run number (1, 2, ...), so a
command can take the next input each time. PRE_* (untimed) run before each timed command.
One warm-up run of each is not counted. Appends a line to $BENCH_OUT/results.tsv.
"""
import os
import statistics
import subprocess
import sys
import time


def run(cmd, i):
    env = dict(os.environ, BENCH_I=str(i))
    t = time.perf_counter()
    p = subprocess.run(cmd, shell=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    return dt, p.returncode, p.stderr.decode(errors="replace")[-400:]


def main(a):
    name, rounds, kind, base, cand = a[1], int(a[2]), a[4], a[5], a[6]
    target = None if a[3] == "-" else float(a[3])
    pre_b = a[7] if len(a) > 7 else ""
    pre_c = a[8] if len(a) > 8 else ""
    tb, tc = [], []
    i = 0
    for r in range(rounds + 1):
        for pre, cmd, acc in ((pre_b, base, tb), (pre_c, cand, tc)):
            i += 1
            if pre:
                subprocess.run(pre, shell=True, env=dict(os.environ, BENCH_I=str(i)), check=True)
            dt, rc, err = run(cmd, i)
            # 1 = findings (the generated history holds planted leaks); pushes must succeed
            if str(rc) not in os.environ.get("BENCH_OK_RC", "0 1").split():
                print("  %s: command failed (exit %d): %s\n  %s" % (name, rc, cmd, err),
                      file=sys.stderr)
                return 1
            if r > 0:
                acc.append(dt)
    mb, mc = statistics.median(tb), statistics.median(tc)
    if kind == "added":
        value = (mc - mb) / mb
        shown = "%+.1f%% (%+.1f ms)" % (100 * value, 1000 * (mc - mb))
        ok = target is None or value <= target
        goal = "none" if target is None else "<= %+.0f%%" % (100 * target)
    else:
        value = mc / mb
        shown = "%.2fx" % value
        ok = target is None or value <= target
        goal = "none" if target is None else "<= %.2fx" % target
    print("%-44s baseline %9.1f ms  stateguard %9.1f ms  %-20s target %-7s %s"
          % (name, 1000 * mb, 1000 * mc, shown, goal,
             "(context)" if target is None else "OK" if ok else "MISSED"))
    out = os.environ.get("BENCH_OUT")
    if out:
        with open(os.path.join(out, "results.tsv"), "a") as f:
            f.write("%s\t%.4f\t%.4f\t%.4f\t%s\t%s\n" % (name, mb, mc, value, kind,
                                                     "context" if target is None
                                                     else "ok" if ok else "missed"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
