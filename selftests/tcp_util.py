#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP helpers for unat's selftests.

  tcp_util.py echo-server PORT [--bind ADDR]
      echo every connection's bytes back until it closes (threads)
  tcp_util.py sequential HOST PORT N
      N connections one after another: connect, 1 byte, its echo, close
  tcp_util.py parallel HOST PORT N
      N connections open at once, each echoing 1000 bytes
  tcp_util.py connect HOST PORT [--timeout S]
      print the errno name a connect ends with (OK when it succeeds)
  tcp_util.py rr HOST PORT N
      N 1-byte round trips on one connection; prints microseconds each
  tcp_util.py rate HOST PORT SECONDS
      sequential connect/1 byte/close for SECONDS; prints connections/s
  tcp_util.py http-server PORT FILE [--bind ADDR]
      HTTP/1.0: GET /blob answers FILE; POST /up answers the sha256 of
      the body it read; one line per POST on stdout: "up SHA256 BYTES"

Exits non-zero, saying why, when an echo is wrong or a connection fails.
"""
import argparse
import errno
import hashlib
import http.server
import selectors
import socket
import sys
import threading
import time


def echo_conn(conn):
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            conn.sendall(data)


def echo_server(args):
    family = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
    srv = socket.create_server((args.bind, args.port), family=family,
                               reuse_port=True, backlog=512)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=echo_conn, args=(conn,), daemon=True).start()


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        data = sock.recv(n - len(buf))
        if not data:
            raise ConnectionError(f"closed after {len(buf)} of {n} bytes")
        buf += data
    return buf


def sequential(args):
    for i in range(args.n):
        with socket.create_connection((args.host, args.port), timeout=10) as s:
            b = bytes([i & 0xff])
            s.sendall(b)
            if recv_exact(s, 1) != b:
                sys.exit(f"connection {i}: wrong echo")
    print(f"{args.n} sequential connections")


def parallel(args):
    socks = [socket.create_connection((args.host, args.port), timeout=20)
             for _ in range(args.n)]
    payloads = {}
    for i, s in enumerate(socks):
        payloads[s] = bytes((i + j) & 0xff for j in range(1000))
        s.sendall(payloads[s])
    sel = selectors.DefaultSelector()
    got = {}
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        got[s] = b""
    left = len(socks)
    while left:
        events = sel.select(timeout=20)
        if not events:
            sys.exit(f"{left} connections stalled")
        for key, _ in events:
            s = key.fileobj
            data = s.recv(65536)
            if not data:
                sys.exit("a connection closed early")
            got[s] += data
            if len(got[s]) >= 1000:
                if got[s] != payloads[s]:
                    sys.exit("wrong echo")
                sel.unregister(s)
                s.close()
                left -= 1
    print(f"{args.n} parallel connections")


def connect(args):
    s = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    s.settimeout(args.timeout)
    try:
        s.connect((args.host, args.port))
        print("OK")
    except socket.timeout:
        print("TIMEOUT")
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))


def rr(args):
    with socket.create_connection((args.host, args.port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(b"x")
        recv_exact(s, 1)
        t0 = time.perf_counter()
        for _ in range(args.n):
            s.sendall(b"x")
            recv_exact(s, 1)
        t = time.perf_counter() - t0
    print(f"{t / args.n * 1e6:.1f}")


def rate(args):
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < args.n:
        with socket.create_connection((args.host, args.port), timeout=10) as s:
            s.sendall(b"x")
            recv_exact(s, 1)
        n += 1
    print(f"{n / (time.perf_counter() - t0):.1f}")


class BlobHandler(http.server.BaseHTTPRequestHandler):
    blob = b""

    def log_message(self, *args):
        pass

    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        # who asked, as this end sees it: port forwards keep the client's
        print(f"get {self.client_address[0]} {self.client_address[1]}",
              flush=True)
        if self.path != "/blob":
            self.send_error(404)
            return
        self.answer(self.blob)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        sha = hashlib.sha256(body).hexdigest()
        print(f"up {sha} {len(body)}", flush=True)
        self.answer(sha.encode())


def http_server(args):
    with open(args.file, "rb") as f:
        BlobHandler.blob = f.read()
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    if ":" in args.bind:
        http.server.ThreadingHTTPServer.address_family = socket.AF_INET6
    srv = http.server.ThreadingHTTPServer((args.bind, args.port), BlobHandler)
    srv.serve_forever()


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("echo-server")
    e.add_argument("port", type=int)
    e.add_argument("--bind", default="")
    for name in ("sequential", "parallel", "rr", "rate"):
        c = sub.add_parser(name)
        c.add_argument("host")
        c.add_argument("port", type=int)
        c.add_argument("n", type=int if name != "rate" else float)
    c = sub.add_parser("connect")
    c.add_argument("host")
    c.add_argument("port", type=int)
    c.add_argument("--timeout", type=float, default=10)
    h = sub.add_parser("http-server")
    h.add_argument("port", type=int)
    h.add_argument("file")
    h.add_argument("--bind", default="")
    args = p.parse_args()
    {"echo-server": echo_server, "http-server": http_server, "sequential": sequential,
     "parallel": parallel, "connect": connect, "rr": rr,
     "rate": rate}[args.cmd](args)


if __name__ == "__main__":
    main()
