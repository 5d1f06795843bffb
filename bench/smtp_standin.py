"""An SMTP server on loopback for R1: it takes every mail and counts it by its Message-ID, or,
during an outage (``hang``), accepts connections and never answers.

Just enough SMTP (RFC 5321) for Django's SMTP backend without TLS or login: EHLO/HELO, MAIL,
RCPT, DATA, RSET, NOOP, QUIT.
"""

import email
import socketserver
import threading
from collections import Counter
from email import policy


class StandIn:
    def __init__(self):
        self.answering = threading.Event()
        self.answering.set()
        self.lock = threading.Lock()
        self.message_ids = Counter()
        self.connections = 0
        standin = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 120

            def handle(self):
                with standin.lock:
                    standin.connections += 1
                # The outage: connected, then silence (the client gives up after its timeout;
                # once the outage ends, writing to its closed connection fails and we are done).
                standin.answering.wait()
                standin.converse(self)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def answer(self):
        """End the outage: from now on every connection is served."""
        self.answering.set()

    def hang(self):
        """Start an outage: new connections get no greeting."""
        self.answering.clear()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def converse(self, handler):
        def say(line):
            handler.wfile.write(line.encode() + b"\r\n")
            handler.wfile.flush()

        try:
            say("220 standin ESMTP")
            while True:
                line = handler.rfile.readline()
                if not line:
                    return
                verb = line.decode(errors="replace").strip().split(" ")[0].upper()
                if verb in ("EHLO", "HELO"):
                    say("250 standin")
                elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                    say("250 OK")
                elif verb == "DATA":
                    say("354 go ahead")
                    self.receive(handler)
                    say("250 queued")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("502 not implemented")
        except (TimeoutError, OSError):
            return

    def receive(self, handler):
        lines = []
        while True:
            line = handler.rfile.readline()
            if line in (b".\r\n", b".\n", b""):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        message = email.message_from_bytes(b"".join(lines), policy=policy.default)
        with self.lock:
            self.message_ids[str(message.get("Message-ID", "")).strip()] += 1
