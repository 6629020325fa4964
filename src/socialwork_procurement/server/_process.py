"""A ``swp serve`` process on the loopback interface, for tests, benchmarks and the docs' examples.

:class:`LiveServer` starts ``swp serve --port 0`` (the system picks a free port, so parallel runs
never collide), reads the port uvicorn reports, waits until ``/api/v1/health`` answers, and stops
the process it started (and only it) when done: ``SIGINT`` first, as Ctrl-C would, so uvicorn
shuts down cleanly and the store is closed; a kill after a grace period.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from types import TracebackType
from typing import IO, Final, Self

__all__ = ["LAUNCHER", "LiveServer"]

LAUNCHER: Final = """
import sys
from socialwork_procurement.cli import _main
if "_serve" not in _main.COMMAND_GROUPS:  # not registered in swp yet: build the one command's parser
    from socialwork_procurement.cli import _serve
    from socialwork_procurement.cli._common import Parser
    parser = Parser(prog="swp")
    _serve.add_commands(parser.add_subparsers(dest="command", required=True, parser_class=Parser))
    args = parser.parse_args(sys.argv[1:])
    sys.exit(args.func(args))
sys.exit(_main.main(sys.argv[1:]))
"""
"""``python -c LAUNCHER serve …`` runs ``swp serve …`` from this source tree, whether or not ``swp``'s
command list has ``serve`` in it yet."""

_RUNNING = re.compile(r"Uvicorn running on http://([0-9.]+):([0-9]+)")


class LiveServer:
    """``with LiveServer(store=…) as server: server.url`` — a running ``swp serve``."""

    def __init__(
        self,
        *,
        store: str | os.PathLike[str],
        schema: str | None = None,
        extra_args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        self.store = os.fspath(store)
        self.schema = schema
        self.extra_args = tuple(extra_args)
        self.env = env
        self.cwd = cwd
        self.startup_timeout = startup_timeout
        self.url = ""
        self.port = 0
        self.log: list[str] = []
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._found = threading.Event()

    def command(self) -> list[str]:
        args = [sys.executable, "-c", LAUNCHER, "serve", "--host", "127.0.0.1", "--port", "0", "--store", self.store]
        if self.schema is not None:
            args += ["--schema", self.schema]
        return [*args, "--no-access-log", *self.extra_args]

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.log.append(line.rstrip("\n"))
            match = _RUNNING.search(line)
            if match and not self._found.is_set():
                self.port = int(match.group(2))
                self.url = f"http://127.0.0.1:{self.port}"
                self._found.set()

    def start(self) -> Self:
        env = dict(os.environ if self.env is None else self.env)
        env.setdefault("PYTHONUNBUFFERED", "1")
        self._process = subprocess.Popen(
            self.command(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=self.cwd,
        )
        self._reader = threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._found.wait(0.05):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("swp serve did not start:\n" + "\n".join(self.log[-40:]))
        while True:
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=5) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("swp serve does not answer:\n" + "\n".join(self.log[-40:]))
            time.sleep(0.05)

    def stop(self, grace: float = 10.0) -> int | None:
        """Stop the process this object started; its exit code (``None`` if it had to be killed)."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                return None
        if self._reader is not None:
            self._reader.join(5)
        return process.returncode

    @property
    def returncode(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
