"""A stand-in for clamd in a thread: it speaks INSTREAM on a unix socket or loopback TCP and
gives a fixed reply, so the tests see what the app sends and how it takes each answer."""

import contextlib
import os
import shutil
import socket
import struct
import tempfile
import threading

OK = b"stream: OK\0"
FOUND = b"stream: Eicar-Test-Signature FOUND\0"


class FakeClamd:
    """A clamd that speaks INSTREAM on one socket and gives a fixed reply (None: silence)."""

    def __init__(self, family, address, reply):
        self.reply = reply
        self.commands, self.streams = [], []
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.bind(address)
        self.listener.listen()
        self.listener.settimeout(0.05)
        self.address = self.listener.getsockname()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopping.is_set():
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                with contextlib.suppress(ConnectionError):  # the client gave up: the test sees what it did
                    self.handle(connection)

    def handle(self, connection):
        self.commands.append(self.read_exactly(connection, len(b"zINSTREAM\0")))
        received = bytearray()
        while length := struct.unpack(">I", self.read_exactly(connection, 4))[0]:
            received += self.read_exactly(connection, length)
        self.streams.append(bytes(received))
        if self.reply is not None:
            connection.sendall(self.reply)
        else:
            while not self.stopping.is_set() and connection.recv(1):  # silent until the client gives up
                pass

    @staticmethod
    def read_exactly(connection, count):
        data = b""
        while len(data) < count:
            part = connection.recv(count - len(data))
            if not part:
                raise ConnectionError("client went away")
            data += part
        return data

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()


@contextlib.contextmanager
def fake_clamds(settings):
    """Yields ``start(reply=OK, transport="unix")``, which starts a fake clamd and points the
    settings at it; every one started is stopped afterwards."""
    # Not tmp_path: a unix socket path must stay under about 100 characters.
    directory = tempfile.mkdtemp(prefix="clamd-")
    servers = []

    def start(reply=OK, transport="unix"):
        if transport == "unix":
            server = FakeClamd(socket.AF_UNIX, os.path.join(directory, f"clamd{len(servers)}.sock"), reply)
            settings.KLACHTFORMULIEREN_CLAMD_SOCKET = server.address
            settings.KLACHTFORMULIEREN_CLAMD_HOST = None
        else:
            server = FakeClamd(socket.AF_INET, ("127.0.0.1", 0), reply)
            settings.KLACHTFORMULIEREN_CLAMD_SOCKET = None
            settings.KLACHTFORMULIEREN_CLAMD_HOST, settings.KLACHTFORMULIEREN_CLAMD_PORT = server.address
        settings.KLACHTFORMULIEREN_CLAMD_TIMEOUT = 2
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.close()
        shutil.rmtree(directory, ignore_errors=True)


def unreachable_clamd(settings, directory):
    """Point the settings at a socket nobody listens on: clamd configured, but down."""
    settings.KLACHTFORMULIEREN_CLAMD_SOCKET = os.path.join(directory, "missing.sock")
    settings.KLACHTFORMULIEREN_CLAMD_HOST = None
    settings.KLACHTFORMULIEREN_CLAMD_TIMEOUT = 1
