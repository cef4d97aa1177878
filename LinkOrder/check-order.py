#!/usr/bin/env python3
"""Checks that a release build of dramatis is laid out by LinkOrder/dramatis.order: every function
of our own modules that the file names must lie before every one it does not name. A build where
the order was not applied (another linker, the file not found, our code not in a section per
function) fails; a file that has gone stale does not (make-order.py renews it).

    python3 LinkOrder/check-order.py .build/release/dramatis
"""

import os
import subprocess
import sys

OWN = ("$s10PersonaKit", "$s6TermUI", "$s11DramatisApp", "$s12TermUICurses", "$s8dramatis")


def main():
    binary = sys.argv[1]
    order_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dramatis.order")
    with open(order_file) as f:
        order = {line.strip() for line in f if line.strip()}
    nm = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    named, unnamed = [], []
    for line in nm.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tT" and p[2].startswith(OWN):
            (named if p[2] in order else unnamed).append((int(p[0], 16), p[2]))
    if len(named) < 100 or not unnamed:
        sys.exit("check-order: %d of our functions in %s are named by %s: regenerate it (make-order.py)"
                 % (len(named), binary, order_file))
    first_unnamed = min(unnamed)
    late = [name for address, name in named if address > first_unnamed[0]]
    if late:
        sys.exit("check-order: %d of %d ordered functions lie after %s, which the order does not name: "
                 "the release build was not laid out by %s (first: %s). In a build folder older than "
                 "the -function-sections flag, the compiler keeps object files whose code did not "
                 "change (it compares a hash of the code, not the flags): remove "
                 ".build/release/*.build/*.o and build again."
                 % (len(late), len(named), first_unnamed[1], order_file, late[0]))
    print("check-order: %d of our functions laid out first, as %s orders them" % (len(named), os.path.basename(order_file)))


if __name__ == "__main__":
    main()
