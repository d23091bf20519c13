#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP helpers for unat's selftests.

  udp_echo.py server PORT [--count N]        echo every datagram back
  udp_echo.py server6 PORT                   the same on IPv6 (and IPv4)
  udp_echo.py client HOST PORT SIZE [--gso SEG] [--expect-from ADDR]
                                             send SIZE random bytes (one
                                             datagram, or GSO segments of
                                             SEG), check the echo byte for byte
  udp_echo.py refused HOST PORT              expect ECONNREFUSED
HOST may be an IPv6 address wherever one is given.
  udp_echo.py send-from PORT HOST DPORT      send "ping" from PORT
  udp_echo.py recv PORT                      print the first datagram's source
  udp_echo.py whoami PORT                    answer every datagram with its
                                             source, "ADDR:PORT"
  udp_echo.py whoami6 PORT                   the same on IPv6 (and IPv4)
  udp_echo.py ask HOST PORT                  print what a whoami server says
"""
import hashlib
import os
import socket
import sys

UDP_SEGMENT = 103


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def server(port, count=None, six=False):
    s = socket.socket(socket.AF_INET6 if six else socket.AF_INET,
                      socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::" if six else "0.0.0.0", port))
    n = 0
    while count is None or n < count:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)
        n += 1


def client(host, port, size, gso=None, expect_from=None):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(5)
    data = os.urandom(size)
    if gso:
        s.setsockopt(socket.SOL_UDP, UDP_SEGMENT, gso)
    s.sendto(data, (host, port))
    want = [data[i:i + gso] for i in range(0, size, gso)] if gso else [data]
    got = []
    while len(got) < len(want):
        d, peer = s.recvfrom(65535)
        if expect_from and peer[0] != expect_from:
            sys.exit(f"reply from {peer[0]}, want {expect_from}")
        got.append(d)
    if sorted(got) != sorted(want):
        sys.exit("echo differs")
    h = hashlib.sha256(b"".join(sorted(got))).hexdigest()[:16]
    print(f"{len(got)} datagram(s), {size} bytes echoed, sha256 {h}")


def refused(host, port):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(5)
    s.connect((host, port))
    s.send(b"anyone?")
    try:
        s.recv(100)
    except ConnectionRefusedError:
        print("ECONNREFUSED")
        return
    except socket.timeout:
        sys.exit("no error within 5 s")
    sys.exit("got an answer")


def send_from(port, host, dport):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    s.sendto(b"ping", (host, dport))


def recv(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(10)
    s.bind(("0.0.0.0", port))
    data, peer = s.recvfrom(100)
    print(f"{peer[0]}:{peer[1]} {data.decode()}")


def whoami(port, six=False):
    s = socket.socket(socket.AF_INET6 if six else socket.AF_INET,
                      socket.SOCK_DGRAM)
    s.bind(("::" if six else "0.0.0.0", port))
    while True:
        _, peer = s.recvfrom(65535)
        s.sendto(f"{peer[0]}:{peer[1]}".encode(), peer)


def ask(host, port):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(5)
    s.sendto(b"who am I?", (host, port))
    data, _ = s.recvfrom(100)
    print(data.decode())


def main(a):
    if a[0] == "server":
        server(int(a[1]), int(a[3]) if len(a) > 3 else None)
    elif a[0] == "server6":
        server(int(a[1]), six=True)
    elif a[0] == "client":
        opts = dict(zip(a[4::2], a[5::2]))
        client(a[1], int(a[2]), int(a[3]),
               int(opts["--gso"]) if "--gso" in opts else None,
               opts.get("--expect-from"))
    elif a[0] == "refused":
        refused(a[1], int(a[2]))
    elif a[0] == "send-from":
        send_from(int(a[1]), a[2], int(a[3]))
    elif a[0] == "recv":
        recv(int(a[1]))
    elif a[0] == "whoami":
        whoami(int(a[1]))
    elif a[0] == "whoami6":
        whoami(int(a[1]), six=True)
    elif a[0] == "ask":
        ask(a[1], int(a[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
