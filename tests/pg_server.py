"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary cluster on
127.0.0.1 (and a Unix socket in its folder), trust authentication, stopped after.

As root, ``initdb`` and ``postgres`` refuse to run: the cluster then runs as the
``postgres`` user the package creates, in a folder it can reach (mode 0777, under
/tmp: pytest's own temporary folders are private to root).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def find_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` holding ``initdb`` (PATH's otherwise)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgServer:
    """One running cluster; :meth:`url` names a review on it, :meth:`stop` removes it."""

    def __init__(self, bin_dir: Path, *, passwords: bool = False) -> None:
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="litreview-pg-"))
        os.chmod(self.dir, 0o777)
        self.data = self.dir / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        # passwords=True: TCP clients must give a password (scram-sha-256); the Unix
        # socket in the folder stays trusted, for setting the server up
        host_auth = ["--auth-host=scram-sha-256"] if passwords else []
        self._run("initdb", "-D", str(self.data), "-A", "trust", *host_auth, "-U", "postgres",
                  "--locale=C.UTF-8", "-E", "UTF8")  # fmt: skip
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "start")  # fmt: skip

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.dir)
        if done.returncode != 0:
            log = self.dir / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}\n{tail}")

    def url(
        self, review: str | None = None, *, user: str = "postgres", db: str = "postgres"
    ) -> str:
        """``postgresql://user@127.0.0.1:PORT/db?review=…`` (a fresh review name by default)."""
        name = review or "t" + uuid.uuid4().hex[:12]
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}?review={name}"

    def socket_url(self, review: str, *, user: str = "postgres") -> str:
        """The URL of ``review`` through the server's Unix socket (trusted)."""
        return f"postgresql://{user}@/postgres?host={self.dir}&port={self.port}&review={review}"

    def psql(
        self, sql: str, *, user: str = "postgres", db: str = "postgres", host: str = "127.0.0.1"
    ) -> str:
        """Run ``sql`` with psql as ``user`` (what any client could send)."""
        done = subprocess.run(
            [str(self.bin / "psql"), "-h", host, "-p", str(self.port), "-U", user,
             "-d", db, "-v", "ON_ERROR_STOP=1", "-Atc", sql],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip())
        return done.stdout

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
