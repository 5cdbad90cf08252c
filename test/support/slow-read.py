"""The slow-read attack (as slowhttptest -X makes it): COUNT connections, each with a small
receive buffer, ask for TARGET and then read a few bytes now and then, so every response waits
on a full socket for HOLD seconds. Used by test/support/slow-readers.ts.

usage: python3 slow-read.py PORT TARGET COUNT HOLD [MSS]
Prints how many connections got the start of a response. With MSS (1460: an Ethernet path), each
connection announces that segment size, as a client across a network does; without, the
loopback's (about 64 KiB), with which the server's kernel lets each connection's send buffer
grow to megabytes at once.
"""
import selectors
import socket
import sys
import time

port, target, count, hold = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
mss = int(sys.argv[5]) if len(sys.argv) > 5 else 0
request = f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
sockets = []
for i in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # A small window before connecting, as slowhttptest -w does: the server's sends stall at once.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    if mss > 0:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(request)
    except OSError:
        s.close()
        continue
    s.setblocking(False)
    sockets.append(s)
answered = set()
deadline = time.monotonic() + hold
while time.monotonic() < deadline:
    for s in sockets:
        try:
            if s.recv(64):
                answered.add(s.fileno())
        except (BlockingIOError, OSError):
            pass
    time.sleep(0.1)
for s in sockets:
    s.close()
print(len(answered))
