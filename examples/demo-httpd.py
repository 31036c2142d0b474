#!/usr/bin/env python3
"""demo-httpd.py - the small HTTP service that `sh examples/demo` runs.

Usage: demo-httpd.py serve ADDRESS PORT

Answers every GET with one line naming the node (its hostname) and the
address it serves, so that `curl` shows which node runs the service. It
stays in the foreground (fo:Service records its pid) and exits on SIGTERM.
"""
import http.server
import signal
import socket
import sys


def main(argv):
    if len(argv) != 4 or argv[1] != "serve" or not argv[3].isdigit():
        print("usage: demo-httpd.py serve ADDRESS PORT", file=sys.stderr)
        return 2
    addr, port = argv[2], int(argv[3])
    line = ("hello from %s (%s:%d)\n" % (socket.gethostname(), addr,
                                        port)).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(line)))
            self.end_headers()
            self.wfile.write(line)

        def log_message(self, fmt, *args):
            pass

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    http.server.HTTPServer.allow_reuse_address = True
    http.server.HTTPServer((addr, port), Handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
