#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/summary.py [--markdown] RAW: the tables of tools/bench/bench.sh
# (with --markdown, the ratios to veth as Markdown tables) from its
# raw lines, "METHOD MTU FAMILY REP KEY=VALUE..." (or "... setup-failed").
# Each cell is the median of the repetitions, its spread ((max - min) /
# median, in per cent) and, in brackets, the median of the ratios to veth
# of each repetition: bench.sh runs one repetition of a workload through
# every method back to back, so a ratio compares figures taken seconds
# apart, while the machine's speed under TCG drifts over minutes.  Ratios
# are value / veth for every column, so above 1 is better for throughput,
# transactions and connections, and worse for round-trip time and CPU
# seconds per GB.

import statistics
import sys

# (key, heading, format) per table
OUT = [("up", "up Gb/s", "{:.2f}", 1e-9), ("down", "down Gb/s", "{:.2f}", 1e-9),
       ("up4", "up x4 Gb/s", "{:.2f}", 1e-9),
       ("down4", "down x4 Gb/s", "{:.2f}", 1e-9),
       ("upcpu", "CPU s/GB up", "{:.2f}", 1),
       ("downcpu", "CPU s/GB dn", "{:.2f}", 1)]
RR = [("rtt", "RTT us", "{:.0f}", 1), ("rr4", "RR x4 /s", "{:.0f}", 1),
      ("crr", "conn/s", "{:.0f}", 1), ("crr4", "conn/s x4", "{:.0f}", 1)]
IN = [("in", "in Gb/s", "{:.2f}", 1e-9), ("out", "out Gb/s", "{:.2f}", 1e-9),
      ("fcrr", "conn/s", "{:.0f}", 1), ("incpu", "CPU s/GB in", "{:.2f}", 1),
      ("outcpu", "CPU s/GB out", "{:.2f}", 1)]
CLIENT = ["rttusr", "rr4usr", "crrusr", "crr4usr", "fcrrusr"]
W = 22


def load(path):
    runs = {}     # (fam, mtu, method) -> {key: {rep: value}}
    failed = {}   # (fam, mtu, method) -> repetitions that failed
    notes = {}    # (fam, mtu, method) -> inbound note
    order = []
    for line in open(path):
        f = line.split()
        if len(f) < 4:
            continue
        m, mtu, fam, rep = f[0], f[1], f[2], f[3]
        k = (fam, mtu, m)
        if m not in order:
            order.append(m)
        runs.setdefault(k, {})
        for kv in f[4:]:
            if kv == "setup-failed":
                failed[k] = failed.get(k, 0) + 1
                continue
            key, _, val = kv.partition("=")
            if key == "inbound":
                notes[k] = val
                continue
            try:
                runs[k].setdefault(key, {})[rep] = float(val)
            except ValueError:
                pass
    known = ["veth", "unat", "pasta", "slirp4netns"]
    order.sort(key=lambda m: known.index(m) if m in known else len(known))
    return runs, failed, notes, order


def cell(figs, base, fmt, scale):
    if not figs:
        return "-"
    vals = list(figs.values())
    med = statistics.median(vals)
    spread = (max(vals) - min(vals)) / med * 100 if med else 0
    text = fmt.format(med * scale) + f" ±{spread:.0f}%"
    ratios = [figs[r] / base[r] for r in figs if base and base.get(r)]
    if ratios:
        text += f" ({statistics.median(ratios):.2f})"
    return text


def table(title, cols, runs, failed, notes, order, fam, mtu):
    print(title)
    print(f"{'method':12}" + "".join(f"{c[1]:>{W}}" for c in cols))
    base = runs.get((fam, mtu, "veth"), {})
    for m in order:
        k = (fam, mtu, m)
        r = runs.get(k)
        if r is None:
            continue
        if not any(c[0] in r for c in cols):
            why = notes.get(k) or ("setup failed" if failed.get(k) else
                                   "no figures")
            print(f"{m:12} {why}")
            continue
        print(f"{m:12}" + "".join(
            f"{cell(r.get(c[0]), base.get(c[0]), c[2], c[3]):>{W}}"
            for c in cols))
    print()


def ratio(runs, fam, mtu, m, key):
    figs = runs.get((fam, mtu, m), {}).get(key)
    base = runs.get((fam, mtu, "veth"), {}).get(key)
    if not figs or not base:
        return None
    r = [figs[k] / base[k] for k in figs if base.get(k)]
    return statistics.median(r) if r else None


def markdown(runs, order):
    """--markdown: one table per method but veth, a row per figure, a
    column per MTU and family: the median of the paired ratios to veth,
    and veth's own median in the first columns."""
    cols = sorted({(k[1], k[0]) for k in runs},
                  key=lambda c: (-int(c[0]), c[1]))
    rows = OUT + RR + [(k, "inbound " + h, f, sc) for k, h, f, sc in IN]
    for m in order:
        if m == "veth":
            continue
        print(f"{m} / veth + masquerade (median of paired ratios):\n")
        print("| figure | " + " | ".join(f"MTU {mtu} IPv{fam}"
                                         for mtu, fam in cols) + " |")
        print("|---" * (len(cols) + 1) + "|")
        for key, head, fmt, scale in rows:
            cells = []
            for mtu, fam in cols:
                r = ratio(runs, fam, mtu, m, key)
                base = runs.get((fam, mtu, "veth"), {}).get(key)
                v = fmt.format(statistics.median(base.values()) * scale) \
                    if base else "-"
                cells.append("-" if r is None else f"{r:.2f} (veth {v})")
            print(f"| {head} | " + " | ".join(cells) + " |")
        print()


def main():
    if sys.argv[1] == "--markdown":
        runs, failed, notes, order = load(sys.argv[2])
        markdown(runs, order)
        return
    runs, failed, notes, order = load(sys.argv[1])
    reps = max((len(v) for r in runs.values() for v in r.values()),
               default=0)
    fams = sorted({k[0] for k in runs})
    mtus = sorted({k[1] for k in runs}, key=int, reverse=True)
    print(f"median of {reps} interleaved runs ±spread (median of the"
          " runs' ratios to veth + masquerade)\n")
    for fam in fams:
        over = " over IPv" + fam
        for mtu in mtus:
            table(f"guest MTU {mtu}{over}, guest to server:", OUT, runs,
                  failed, {}, order, fam, mtu)
            table(f"guest MTU {mtu}{over}, round trips and connections:", RR,
                  runs, failed, {}, order, fam, mtu)
            table(f"guest MTU {mtu}{over}, inbound through a port forward on"
                  " the host:", IN, runs, failed, notes, order, fam, mtu)
    busiest = max((v for r in runs.values() for key in CLIENT
                   for v in r.get(key, {}).values()), default=0)
    print(f"unat-bench's own user CPU, most in any run: {busiest:.1f}% of"
          " one CPU")


if __name__ == "__main__":
    main()
