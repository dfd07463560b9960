#!/usr/bin/python3
"""smtp-sink.py DIR [REFUSE]: an SMTP server on 127.0.0.1 for the tests.

It listens on a free port, writes the port to DIR/port, and keeps every
message it accepts as DIR/N.eml with its envelope in DIR/N.env (MAIL FROM,
then one RCPT TO a line). A recipient address equal to REFUSE is refused
(550). It stops when DIR/stop appears or after ten minutes.
"""
import os
import socketserver
import sys
import threading
import time

DIR = sys.argv[1]
REFUSE = sys.argv[2].lower() if len(sys.argv) > 2 else None
count = 0
lock = threading.Lock()


def addr(arg):
    return arg.split(":", 1)[1].strip().strip("<>").split(">")[0].lower()


class Handler(socketserver.StreamRequestHandler):
    def say(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        global count
        self.say("220 sink ESMTP")
        sender, rcpts = None, []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.say("250-sink" if verb == "EHLO" else "250 sink")
                if verb == "EHLO":
                    self.say("250 8BITMIME")
            elif verb == "MAIL":
                sender, rcpts = addr(line), []
                self.say("250 ok")
            elif verb == "RCPT":
                a = addr(line)
                if REFUSE and a == REFUSE:
                    self.say("550 no such mailbox")
                else:
                    rcpts.append(a)
                    self.say("250 ok")
            elif verb == "DATA":
                if not rcpts:
                    self.say("554 no valid recipients")
                    continue
                self.say("354 go on")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk == b".\r\n":
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                with lock:
                    count += 1
                    n = count
                with open(os.path.join(DIR, "%d.eml" % n), "wb") as f:
                    f.write(data)
                with open(os.path.join(DIR, "%d.env" % n), "w") as f:
                    f.write("\n".join([sender or ""] + rcpts) + "\n")
                self.say("250 queued as %d" % n)
            elif verb == "QUIT":
                self.say("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.say("250 ok")
            else:
                self.say("502 not here")


socketserver.ThreadingTCPServer.allow_reuse_address = True
server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
deadline = time.time() + 600
while time.time() < deadline and not os.path.exists(os.path.join(DIR, "stop")):
    time.sleep(0.05)
server.shutdown()
