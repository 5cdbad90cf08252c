"""Swaps pairs of names atomically, over and over, for a bounded time: the attacker of the
symlink race test (test/e2e/parts/race-tests.ts). Linux renameat2(RENAME_EXCHANGE) through ctypes.

usage: python3 rename-exchange.py SECONDS DIR A B [A B ...]
Prints the number of swaps done. Exits 3 when renameat2 is not available.
"""
import ctypes
import os
import sys
import time

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def main():
    seconds = float(sys.argv[1])
    os.chdir(sys.argv[2])
    pairs = [(sys.argv[i].encode(), sys.argv[i + 1].encode()) for i in range(3, len(sys.argv), 2)]
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        print("renameat2 not available", file=sys.stderr)
        sys.exit(3)
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    swaps = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for _ in range(200):
            for a, b in pairs:
                if renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) != 0:
                    print("renameat2: " + os.strerror(ctypes.get_errno()), file=sys.stderr)
                    sys.exit(3)
                swaps += 1
    # An even number of swaps per pair leaves every name where it started.
    for a, b in pairs:
        if swaps // len(pairs) % 2 == 1:
            renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
    print(swaps)


main()
