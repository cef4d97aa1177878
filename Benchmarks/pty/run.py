#!/usr/bin/env python3
"""The real binary in a pseudo-terminal, beside whiptail and dialog doing the same work in the same
run, measured with ttyprobe (../shared/tools/ttyprobe). Prints a JSON summary and a Markdown table.

    swift build -c release --product dramatis && swift build -c release --product make-scale-config
    python3 Benchmarks/pty/run.py [--runs 5] [--ttyprobe PATH] [--out DIR]

Workloads (120x40, xterm-256color, quiet window 60 ms):
  start-1k / start-10k   start -> first screen, 1,000 / 10,000 personas (AI Settings)
  editor-down            Persona Editor open (F5) on a 1,000-persona list, 200 x Down: the
                         selection moves and the persona's form and prompt preview follow
  menu-down              the AI Settings persona dropdown of 1,000 entries, 200 x Down: the same
                         work as the peers' menu (only the highlight moves, the list scrolls)
  idle                   CPU used while nothing happens for 5 s
  whiptail / dialog      `--menu` of 1,000 items, 200 x Down (ttyprobe's peer workload)
  whiptail-names         whiptail's `--menu` of the 1,000 persona names the editor lists (the
                         same rows: CJK, emoji, names that differ in more than a digit), 200 x Down
Needs: python3 with pyte, whiptail and dialog (Debian packages), a release build.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_PROBE = os.path.join(os.path.dirname(ROOT), "shared", "tools", "ttyprobe")


def probe(tool, label, argv, keys, wait_for, runs, quit_keys, extra=()):
    cmd = [sys.executable, os.path.join(tool, "ttyprobe.py"), "--size", "120x40", "--runs", str(runs),
           "--quiet-ms", "60", "--wait-for", wait_for, "--keys", keys, "--quit-keys", quit_keys,
           "--label", label, *extra, "--"] + argv
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    if r.returncode != 0:
        sys.exit("ttyprobe failed for %s:\n%s\n%s" % (label, r.stdout[-2000:], r.stderr[-2000:]))
    d = json.loads(r.stdout)
    return d.get("runs", [d])


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def key_stats(runs, key):
    """Per run: median latency and mean/median bytes of one key name."""
    out = {"latency_median_ms": [], "latency_p95_ms": [], "bytes_mean": [], "bytes_median": []}
    for r in runs:
        # With a single key name in the script ttyprobe gives no per-key breakdown.
        k = r["keys"].get("by_key", {}).get(key) or r["keys"]
        if not k:
            continue
        out["latency_median_ms"].append(k["latency_ms"]["median"])
        out["latency_p95_ms"].append(k["latency_ms"]["p95"])
        out["bytes_mean"].append(k["bytes"]["mean"])
        out["bytes_median"].append(k["bytes"]["median"])
    return {name: spread(v) for name, v in out.items()}


def common(runs):
    return {
        "startup_ms": spread([r["startup"]["settled_ms"] for r in runs]),
        "first_screen_bytes": spread([r["startup"]["first_screen_bytes"] for r in runs]),
        "peak_rss_kb": spread([r["memory"]["vmhwm_kb_end"] for r in runs]),
        "cpu_keys_s": spread([r["cpu"]["keys_s"] for r in runs]),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--ttyprobe", default=DEFAULT_PROBE)
    ap.add_argument("--out", default=None, help="also write summary.json there")
    a = ap.parse_args()

    binary = os.path.join(ROOT, ".build", "release", "dramatis")
    maker = os.path.join(ROOT, ".build", "release", "make-scale-config")
    for b in (binary, maker):
        if not os.path.exists(b):
            sys.exit("missing %s: swift build -c release --product dramatis && swift build -c release --product make-scale-config" % b)
    sys.path.insert(0, os.path.join(a.ttyprobe, "peers"))
    import menu_items  # noqa: E402  (the peers' 1,000-item menu)

    tmp = tempfile.mkdtemp(prefix="dramatis-pty-")
    configs = {}
    for n in (1000, 10000):
        d = os.path.join(tmp, "scale%d" % n)
        subprocess.run([maker, d, "--personas", str(n), "--tickets", str(n)], check=True, capture_output=True)
        configs[n] = d

    def dramatis(n):
        return [binary, "--config-dir", configs[n]]

    results = {}
    print("start ...", file=sys.stderr)
    for n in (1000, 10000):
        runs = probe(a.ttyprobe, "start-%d" % n, dramatis(n), "sleep:10", "Bias profile", a.runs, "ctrl-q")
        results["start-%dk" % (n // 1000)] = common(runs)
    print("editor-down ...", file=sys.stderr)
    runs = probe(a.ttyprobe, "editor-down", dramatis(1000), "f5 sleep:200 down*200", "Bias profile", a.runs,
                 "ctrl-q")
    results["editor-down"] = {**common(runs), "down": key_stats(runs, "down")}
    print("menu-down ...", file=sys.stderr)
    runs = probe(a.ttyprobe, "menu-down", dramatis(1000), "enter sleep:200 down*200", "Bias profile", a.runs,
                 "esc ctrl-q")
    results["menu-down"] = {**common(runs), "down": key_stats(runs, "down")}
    print("idle ...", file=sys.stderr)
    runs = probe(a.ttyprobe, "idle", dramatis(1000), "sleep:5000", "Bias profile", a.runs, "ctrl-q")
    results["idle"] = {"cpu_s_over_5s": spread([r["cpu"]["keys_s"] for r in runs])}
    wait = "Description of item %04d" % menu_items.MENU_HEIGHT
    for peer in ("whiptail", "dialog"):
        print("%s ..." % peer, file=sys.stderr)
        runs = probe(a.ttyprobe, peer, menu_items.menu_argv(peer), "down*200", wait, a.runs, "esc")
        results[peer] = {**common(runs), "down": key_stats(runs, "down")}
    print("whiptail-names ...", file=sys.stderr)
    listed = subprocess.run(dramatis(1000) + ["personas", "list", "--json"], check=True, capture_output=True)
    names = [p["name"] for p in json.loads(listed.stdout)]
    argv = ["whiptail", "--menu", menu_items.PROMPT, str(menu_items.BOX_HEIGHT), str(menu_items.BOX_WIDTH),
            str(menu_items.MENU_HEIGHT)]
    for name in names:
        argv += [name, ""]
    runs = probe(a.ttyprobe, "whiptail-names", argv, "down*200", names[menu_items.MENU_HEIGHT - 1], a.runs, "esc")
    results["whiptail-names"] = {**common(runs), "down": key_stats(runs, "down")}
    print("%s idle ..." % "whiptail", file=sys.stderr)
    runs = probe(a.ttyprobe, "whiptail-idle", menu_items.menu_argv("whiptail"), "sleep:5000", wait, a.runs, "esc")
    results["whiptail-idle"] = {"cpu_s_over_5s": spread([r["cpu"]["keys_s"] for r in runs])}

    summary = {"runs": a.runs, "size": "120x40", "results": results,
               "versions": {"uname": os.uname().release}}
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        with open(os.path.join(a.out, "summary.json"), "w") as f:
            json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))

    def cell(x, digits=2):
        if x is None:
            return "-"
        fmt = "%%.%df" % digits
        return "%s (%s–%s)" % (fmt % x["median"], fmt % x["min"], fmt % x["max"])

    print("\n| figure (median of %d runs, min–max) | Dramatis | whiptail | dialog |" % a.runs)
    print("|---|---|---|---|")
    print("| start → first screen, 1,000 personas (ms) | %s | %s | %s |" % (
        cell(results["start-1k"]["startup_ms"], 1), cell(results["whiptail"]["startup_ms"], 1),
        cell(results["dialog"]["startup_ms"], 1)))
    print("| start → first screen, 10,000 personas (ms) | %s | | |" % cell(results["start-10k"]["startup_ms"], 1))
    for name, label in (("menu-down", "menu of 1,000 (persona dropdown)"), ("editor-down", "Persona Editor list")):
        d = results[name]["down"]
        print("| bytes per Down, %s (mean) | %s | %s | %s |" % (
            label, cell(d["bytes_mean"], 0), cell(results["whiptail"]["down"]["bytes_mean"], 0),
            cell(results["dialog"]["down"]["bytes_mean"], 0)))
        print("| latency per Down, %s (median ms) | %s | %s | %s |" % (
            label, cell(d["latency_median_ms"], 3), cell(results["whiptail"]["down"]["latency_median_ms"], 3),
            cell(results["dialog"]["down"]["latency_median_ms"], 3)))
    d = results["whiptail-names"]["down"]
    print("| whiptail on the editor's 1,000 persona names: bytes / latency per Down | | %s / %s | |" % (
        cell(d["bytes_mean"], 0), cell(d["latency_median_ms"], 3)))
    print("| peak RSS, 1,000 personas, after the editor run (KB) | %s | %s | %s |" % (
        cell(results["editor-down"]["peak_rss_kb"], 0), cell(results["whiptail"]["peak_rss_kb"], 0),
        cell(results["dialog"]["peak_rss_kb"], 0)))
    print("| peak RSS, 10,000 personas, start (KB) | %s | | |" % cell(results["start-10k"]["peak_rss_kb"], 0))
    print("| CPU while idle for 5 s (s) | %s | %s | |" % (
        cell(results["idle"]["cpu_s_over_5s"], 2), cell(results["whiptail-idle"]["cpu_s_over_5s"], 2)))


if __name__ == "__main__":
    main()
