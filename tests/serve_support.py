"""A real uvicorn server on 127.0.0.1 and a free port, in a thread of the test process (for the
``serve`` tests): the app is served exactly as ``mali-map serve`` serves it."""

from __future__ import annotations

import socket
import threading
import time

import pytest


class RunningServer:
    """``with RunningServer(app) as server: server.url`` -- stopped and joined on exit."""

    def __init__(self, app, host: str = "127.0.0.1") -> None:
        uvicorn = pytest.importorskip("uvicorn", reason="the serve extra is not installed")
        self.host = host
        self.port = free_port(host)
        config = uvicorn.Config(app, host=host, port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> RunningServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
