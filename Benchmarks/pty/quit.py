#!/usr/bin/env python3
"""Ctrl-Q → the terminal given back → the process gone, for the release program in a pty.

    python3 Benchmarks/pty/quit.py CONFIG_DIR [--runs 5] [--bin .build/release/dramatis]

Per run: the app is started on CONFIG_DIR (a copy is fine: nothing is saved), shown (AI Settings'
"Bias profile" row), left for a second, then sent Ctrl-Q; prints the time until the bytes that
leave the alternate screen arrive and until the process has exited (what holds the shell's
prompt back).
"""

import argparse
import os
import pty
import select
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def one(binary, config):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, "--config-dir", config])
    seen = b""
    deadline = time.time() + 30
    while b"Bias profile" not in seen and time.time() < deadline:
        if select.select([fd], [], [], 1)[0]:
            seen += os.read(fd, 65536)
    time.sleep(1.0)
    while select.select([fd], [], [], 0.05)[0]:
        os.read(fd, 65536)
    sent = time.time()
    os.write(fd, b"\x11")
    restored = None
    while True:
        if not select.select([fd], [], [], 5)[0]:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child is gone and the pty closed
            break
        if not chunk:
            break
        if restored is None and b"\x1b[?1049l" in chunk:
            restored = time.time()
    os.waitpid(pid, 0)
    gone = time.time()
    return ((restored or gone) - sent) * 1000, (gone - sent) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("config")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "dramatis"))
    a = ap.parse_args()
    for _ in range(a.runs):
        restored, gone = one(a.bin, a.config)
        print("terminal restored %.1f ms, process gone %.1f ms" % (restored, gone))


if __name__ == "__main__":
    main()
