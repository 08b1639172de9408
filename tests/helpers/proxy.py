"""A loopback TCP proxy that can drop its connections after a set number of bytes."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from types import TracebackType

_CHUNK = 65536
_ACCEPT_POLL = 0.05
_JOIN_TIMEOUT = 2.0


class _Link:
    """One proxied connection: the client-side socket, the server-side socket, their pumps."""

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self._lock = threading.Lock()
        self._pumps_left = 2
        self.is_cut = False
        self._closed = False

    def cut(self, *, reset: bool) -> None:
        """Stop both directions; with ``reset`` the peers see a TCP RST instead of a FIN."""
        with self._lock:
            if self.is_cut or self._closed:
                return
            self.is_cut = True
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                if reset:
                    # Linger 0 makes close() send an RST; SHUT_RD wakes a blocked recv() in the
                    # pump thread without sending a FIN first.
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    sock.shutdown(socket.SHUT_RD)
                else:
                    sock.shutdown(socket.SHUT_RDWR)
        self._close()

    def pump_finished(self) -> bool:
        """Called by each pump as it ends; closes the sockets after the second one."""
        with self._lock:
            self._pumps_left -= 1
            last = self._pumps_left == 0
        if last:
            self._close()
        return last

    def _close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                sock.close()


class CuttingProxy:
    """Forwards 127.0.0.1:``port`` to (``target_host``, ``target_port``), one thread per direction.

    ``cut_after_bytes(n)`` arms a cut: once ``n`` more bytes have gone from the server to the
    clients (counted over all open connections), exactly those bytes are delivered and every open
    connection is dropped at once, like a network failure. The cut fires once; later connections
    are forwarded normally. Counters: ``connections`` (accepted so far), ``bytes_to_client``,
    ``cuts``. Close with ``close()`` or use as a context manager.
    """

    def __init__(self, target_host: str, target_port: int, *, host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(_ACCEPT_POLL)
        self.host, self.port = self._listener.getsockname()[:2]
        self._lock = threading.Lock()
        self._links: list[_Link] = []
        self._threads: list[threading.Thread] = []
        self._budget: int | None = None
        self._reset = True
        self._stopping = threading.Event()
        self.connections = 0
        self.bytes_to_client = 0
        self.cuts = 0
        self._acceptor = threading.Thread(
            target=self._accept_loop, name=f"proxy-accept-{self.port}", daemon=True
        )
        self._acceptor.start()

    # ----------------------------------------------------------------- control

    def cut_after_bytes(self, n: int, *, reset: bool = True) -> None:
        """Drop all connections once ``n`` more bytes have flowed server->client.

        ``reset=True`` (default) closes with a TCP RST (the client sees ECONNRESET);
        ``reset=False`` closes with a FIN (the client sees end of stream).
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._budget = n
            self._reset = reset

    def disarm(self) -> None:
        """Cancel a pending ``cut_after_bytes``."""
        with self._lock:
            self._budget = None

    def cut_now(self, *, reset: bool = True) -> None:
        """Drop every open connection immediately."""
        with self._lock:
            links = list(self._links)
            self._budget = None
            self.cuts += 1
        for link in links:
            link.cut(reset=reset)

    @property
    def armed(self) -> bool:
        with self._lock:
            return self._budget is not None

    def open_connections(self) -> int:
        with self._lock:
            return len(self._links)

    def threads_alive(self) -> int:
        """Threads of this proxy still running (the acceptor and the pumps)."""
        with self._lock:
            threads = [self._acceptor, *self._threads]
        return sum(t.is_alive() for t in threads)

    def close(self) -> None:
        """Stop accepting, drop every connection and wait for all threads to end."""
        self._stopping.set()
        self._acceptor.join(_JOIN_TIMEOUT)
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            links = list(self._links)
        for link in links:
            link.cut(reset=False)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(_JOIN_TIMEOUT)

    def __enter__(self) -> CuttingProxy:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ----------------------------------------------------------------- threads

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                with contextlib.suppress(OSError):
                    client.close()
                continue
            link = _Link(client, upstream)
            with self._lock:
                if self._stopping.is_set():
                    link.cut(reset=False)
                    return
                self.connections += 1
                self._links.append(link)
                n = self.connections
            for to_client, src, dst in ((False, client, upstream), (True, upstream, client)):
                thread = threading.Thread(
                    target=self._pump,
                    args=(link, src, dst, to_client),
                    name=f"proxy-{self.port}-{n}-{'down' if to_client else 'up'}",
                    daemon=True,
                )
                with self._lock:
                    self._threads = [t for t in self._threads if t.is_alive()]
                    self._threads.append(thread)
                thread.start()

    def _pump(self, link: _Link, src: socket.socket, dst: socket.socket, to_client: bool) -> None:
        try:
            while True:
                try:
                    data = src.recv(_CHUNK)
                except OSError:
                    link.cut(reset=False)
                    return
                if not data:
                    if not link.is_cut:
                        # Pass the half-close on; the other direction may still be sending.
                        with contextlib.suppress(OSError):
                            dst.shutdown(socket.SHUT_WR)
                    return
                cut = False
                if to_client:
                    with self._lock:
                        if self._budget is not None:
                            allowed = min(len(data), self._budget)
                            self._budget -= allowed
                            data = data[:allowed]
                            cut = self._budget == 0
                        self.bytes_to_client += len(data)
                try:
                    if data:
                        dst.sendall(data)
                except OSError:
                    link.cut(reset=False)
                    return
                if cut:
                    with self._lock:
                        reset = self._reset
                    self.cut_now(reset=reset)
                    return
        finally:
            if link.pump_finished():
                with self._lock:
                    if link in self._links:
                        self._links.remove(link)
