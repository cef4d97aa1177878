#!/usr/bin/env python3
"""Writes LinkOrder/dramatis.order: the functions a session of the release program runs, in the
order they were first met, for the linker to lay out side by side (Package.swift passes the file to
lld's --symbol-ordering-file on release builds).

Why: the kernel maps a program's code in blocks around each page it touches, so code scattered
over the 10 MB of .text (the Swift runtime and FoundationEssentials are linked in) kept 9.5 MB of
code and read-only data resident with 1,000 personas; laid out by this file, 5.5 MB
(docs/performance.md).

    swift build -c release --product dramatis && swift build -c release --product make-scale-config
    python3 LinkOrder/make-order.py          # needs valgrind and tmux; about two minutes

It runs the program under callgrind in tmux on a 1,000-persona configuration (a temporary copy)
through every screen: AI Settings and its dropdown, the help, the MMA dashboard, the tickets and a
ticket's editor, the Persona Editor (moving, typing, saving), then quits; then the commands that
scripts run (validate, resolve, personas list/show, --version, --help), whose functions go after
the app's; keeps the functions that are in the program's symbol table. A stale file is harmless (the linker skips names it does not
find; check-order.py in CI says when the layout no longer follows the file at all), only less
effective: run this again after large changes and commit the result.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "dramatis")
MAKER = os.path.join(ROOT, ".build", "release", "make-scale-config")
OUT = os.path.join(ROOT, "LinkOrder", "dramatis.order")
SOCKET = "dramatis-order"
# Then the commands scripts run (after the app's functions: the app's come first).
COMMANDS = [
    ["validate"], ["resolve", "--tier", "3"], ["resolve", "--track", "scale", "--ticket", "S-00010", "--json"],
    ["personas", "list", "--json"], ["personas", "show", "Worker 00001"], ["--version"], ["--help"],
]

# (keys, seconds to wait after them) — under callgrind the program runs ~50 times slower.
SESSION = [
    ("Down", 2), ("Down", 2), ("Enter", 3), ("Down", 2), ("p", 2), ("BSpace", 2), ("Escape", 2),
    ("Tab", 2), ("Down", 2), ("F1", 2), ("Escape", 2),
    ("F3", 3), ("Down", 2), ("Tab", 2), ("Down", 2),
    ("F4", 3), ("Down", 2), ("Enter", 3), ("Escape", 2),
    ("F5", 4), ("Down", 2), ("Down", 2), ("PageDown", 2), ("Tab", 2), ("Tab", 2), ("x", 2),
    ("C-s", 4), ("Escape", 2),
    ("F2", 3), ("C-q", 2),
]


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args], capture_output=True, text=True)


def main():
    for b in (BIN, MAKER):
        if not os.path.exists(b):
            sys.exit("missing %s: swift build -c release --product dramatis && swift build -c release --product make-scale-config" % b)
    work = tempfile.mkdtemp(prefix="dramatis-order.")
    try:
        cfg = os.path.join(work, "config")
        subprocess.run([MAKER, cfg, "--personas", "1000", "--tickets", "1000"], check=True, capture_output=True)
        out = os.path.join(work, "callgrind.out")
        tmux("kill-server")
        tmux("new-session", "-d", "-x", "120", "-y", "40",
             "valgrind --tool=callgrind --demangle=no --callgrind-out-file=%s %s --config-dir %s 2>%s/valgrind.log"
             % (out, BIN, cfg, work))
        deadline = time.time() + 120
        while "AI Settings" not in tmux("capture-pane", "-p").stdout:
            if time.time() > deadline:
                sys.exit("the program did not show AI Settings under callgrind:\n" + tmux("capture-pane", "-p").stdout)
            time.sleep(1)
        for keys, wait in SESSION:
            tmux("send-keys", keys)
            time.sleep(wait)
        deadline = time.time() + 60
        while not os.path.exists(out) and time.time() < deadline:
            time.sleep(1)
        time.sleep(2)
        tmux("kill-server")
        if not os.path.exists(out):
            sys.exit("callgrind wrote no profile (did the program quit?); see %s/valgrind.log" % work)

        profiles = [out]
        for n, args in enumerate(COMMANDS):
            profile = os.path.join(work, "command-%d.out" % n)
            subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", "--callgrind-out-file=" + profile, BIN,
                            "--config-dir", cfg, *args], capture_output=True)
            if not os.path.exists(profile):
                sys.exit("callgrind wrote no profile for %s" % " ".join(args))
            profiles.append(profile)

        nm = subprocess.run(["nm", "--defined-only", BIN], capture_output=True, text=True, check=True).stdout
        # A name defined more than once (a value witness or an outlined copy each object file has
        # its own of, `destroy for Range`) is left out: lld would move every section holding one to
        # the front, the runtime's 490 KB regex parser with them.
        counts = {}
        for p in (l.split() for l in nm.splitlines()):
            if len(p) == 3 and p[1] in "tTwW":
                counts[p[2]] = counts.get(p[2], 0) + 1
        functions = {name for name, n in counts.items() if n == 1}
        order, seen = [], set()
        for profile in profiles:
            with open(profile) as f:
                for line in f:
                    m = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
                    if not m:
                        continue
                    name = re.sub(r"'\d+$", "", m.group(1))  # callgrind marks recursion levels so
                    if name in functions and name not in seen:
                        seen.add(name)
                        order.append(name)
        if len(order) < 500:
            sys.exit("only %d functions found: the session did not run as expected" % len(order))
        with open(OUT, "w") as f:
            f.write("\n".join(order) + "\n")
        print("%s: %d functions" % (os.path.relpath(OUT, ROOT), len(order)))
    finally:
        tmux("kill-server")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
