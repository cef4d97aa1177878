#!/usr/bin/env python3
"""The bytes any renderer must send per Down on a Dramatis screen: for every Down of a key script,
the text of every cell that changed (UTF-8) plus one byte for each run of changed cells after a
gap (the shortest cursor move there is: LF, HT, BS or CR). Styles, erases and longer moves are
not counted, so the real minimum is higher. The frames come from `dramatis render --attributes`
(a cell changed when its text or its style did); the columns left of --split are counted apart
(the Persona Editor's list is left of column 33 at 120x40).

    swift build -c release --product dramatis && swift build -c release --product make-scale-config
    .build/release/make-scale-config /tmp/scale1000 --personas 1000 --tickets 1000
    python3 Benchmarks/pty/content_floor.py --config-dir /tmp/scale1000 [--start F5] [--downs 200]

ttyprobe's lowerbound.py does the same for the peers' menu (146 bytes per Down, with a scroll
region, which the editor's list cannot use: the form stands beside it).
"""

import argparse
import os
import subprocess
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def frame(binary, config, size, keys):
    cols, rows = map(int, size.split("x"))
    out = subprocess.run([binary, "--config-dir", config, "render", "ai-settings", "--size", size, "--keys", keys,
                          "--attributes"], capture_output=True, text=True, check=True).stdout
    lines = out.split("\n")
    text = [line[1:] for line in lines[:rows]]  # each row starts with '|'
    at = lines.index("--- attributes")
    names, j = {}, at + 1
    while " = " in lines[j]:
        letter, style = lines[j].split(" = ", 1)
        names[letter] = style
        j += 1
    attrs = lines[j:j + rows]
    cells = []
    for y in range(rows):
        row = []
        for ch in text[y]:
            if unicodedata.combining(ch) and row:
                row[-1] += ch
                continue
            row.append(ch)
            if unicodedata.east_asian_width(ch) in "WF":
                row.append("")  # the second column of a wide character
        row += [" "] * (cols - len(row))
        cells.append([(row[x], names.get(attrs[y][x], "?")) for x in range(cols)])
    return cells


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "dramatis"))
    ap.add_argument("--config-dir", required=True)
    ap.add_argument("--size", default="120x40")
    ap.add_argument("--start", default="F5", help="keys before the Downs (F5: the Persona Editor)")
    ap.add_argument("--downs", type=int, default=200)
    ap.add_argument("--split", type=int, default=33, help="columns left of this are counted as the list")
    a = ap.parse_args()
    previous = frame(a.binary, a.config_dir, a.size, a.start)
    total = [0, 0]
    for k in range(1, a.downs + 1):
        current = frame(a.binary, a.config_dir, a.size, a.start + " Down" * k)
        for old, new in zip(previous, current):
            gap = True
            for x, (o, n) in enumerate(zip(old, new)):
                if o == n:
                    gap = True
                    continue
                side = 0 if x < a.split else 1
                total[side] += len(n[0].encode()) + (1 if gap else 0)
                gap = False
        previous = current
    left, right = (t / a.downs for t in total)
    print("bytes per Down, at least: %.0f (columns < %d: %.0f, the rest: %.0f), %d Downs after %r at %s"
          % (left + right, a.split, left, right, a.downs, a.start, a.size))


if __name__ == "__main__":
    main()
