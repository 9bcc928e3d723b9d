"""``litreview app``: the screening app served by Voila, reachable only by its user.

Voila runs the review's kernel, so whoever can load its page can run code as
you. The server therefore listens on 127.0.0.1 only, asks for a token (random
unless given with ``--token`` or ``$LITREVIEW_TOKEN``) and, as Jupyter Server
does, refuses a request whose ``Host`` header is not a loopback address or
``localhost`` (a DNS-rebinding page reaches 127.0.0.1 under its own name). The
token goes to Voila in its environment (``JUPYTER_TOKEN``), never on its command
line, where other users could read it; the URL printed holds it::

    >>> app_url(8866, "s3cret")
    'http://127.0.0.1:8866/?token=s3cret'
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import shlex
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from litreview.cli._parser import add_command, tcp_port
from litreview.cli.commands import UsageError, err, existing_review

if TYPE_CHECKING:
    from litreview.cli._parser import Subparsers

NAME = "app"
SUMMARY = "start the screening app (Voila) on a review, on 127.0.0.1 behind a token"
EXAMPLES = (
    "  litreview app review.litreview          # prints http://127.0.0.1:8866/?token=...\n"
    "  litreview app review.litreview --port 8870 --no-browser  # token: $LITREVIEW_TOKEN\n"
    "  litreview app review.litreview --port 8870 --dry-run   # print the command only"
)

HOST = "127.0.0.1"
DEFAULT_PORT = 8866  # Voila's
PORT_TRIES = 50  # as many as Voila tries before giving up
TOKEN_ENV = "LITREVIEW_TOKEN"
#: Voila ships ``allow_remote_access=True``; this puts Jupyter Server's Host check back.
#: (A ``key=value`` item would give the string "False", which is true: the dict literal
#: is the one form that sets a boolean; traitlets calls it deprecated, see run_voila.)
HOST_CHECK = '--Voila.tornado_settings={"allow_remote_access": False}'
#: litreview's Voila template ("offline-lab"): Voila's "lab" one without the two Font Awesome style
#: sheets it loads from cdn.jsdelivr.net (the app uses no icon font), so the page asks
#: nothing of any other machine. ``super.super()`` is the nbconvert lab page's own CSS.
TEMPLATE = "offline-lab"
TEMPLATE_FILES = {
    "conf.json": '{"base_template": "lab"}\n',
    "index.html.j2": """{%- extends 'voila/templates/lab/index.html.j2' -%}
{% import "spinner.macro.html.j2" as spinner %}
{%- block notebook_css -%}
  {% if frontend == "voila" %}{{ resources.include_js("static/voila-style.js") }}{% endif %}
  {{ spinner.css() }}
  <style>
    .jp-mod-noOutputs.jp-mod-noInput { display: none; }
    body { padding: 8px 16px; }
  </style>
  {{ super.super() }}
{%- endblock notebook_css -%}
""",
}


def app_notebook() -> Path:
    """The Voila app notebook shipped with litreview."""
    return Path(str(files("litreview") / "app" / "app.ipynb"))


def app_token(given: str | None) -> str:
    """``given``, else ``$LITREVIEW_TOKEN``, else a new random token (never empty).

    >>> len(app_token(None)) >= 40, app_token("abc")
    (True, 'abc')
    """
    token = given if given is not None else os.environ.get(TOKEN_ENV)
    if token is None:
        return secrets.token_urlsafe(32)
    if not token.strip() or token != token.strip():
        raise UsageError("the app token must not be empty or start or end with spaces")
    return token


def app_url(port: int, token: str) -> str:
    """The URL that opens the app, token included."""
    return f"http://{HOST}:{port}/?token={quote(token, safe='')}"


def voila_templates() -> Path:
    """Write litreview's Voila template (see :data:`TEMPLATE_FILES`) under the user's cache
    folder and return the folder to put on ``JUPYTER_PATH``, where Voila looks for it."""
    from platformdirs import user_cache_dir

    root = Path(user_cache_dir("litreview")) / "voila"
    folder = root / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TEMPLATE_FILES.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return root


def template_path() -> str:
    """``JUPYTER_PATH`` for Voila: litreview's template first, then the user's own path."""
    return os.pathsep.join(
        [str(voila_templates()), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    )


def app_port(port: int | None) -> int:
    """``port`` if it is free on 127.0.0.1, else (when none was asked) the first free one
    from 8866, like Voila's own search, so the URL printed is the one served."""
    for candidate in [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES):
        with socket.socket() as s:
            try:
                s.bind((HOST, candidate))
            except OSError:
                continue
            return candidate
    if port is not None:
        raise OSError(f"port {port} on {HOST} is in use; choose another with --port")
    raise OSError(f"no free port from {DEFAULT_PORT} to {DEFAULT_PORT + PORT_TRIES - 1}")


def app_command(port: int) -> list[str]:
    """The Voila command line ``litreview app`` runs (the token is in the environment):
    Voila's own options, through :func:`run_voila`.

    >>> app_command(8870)[-1]
    '--port=8870'
    """
    return [
        sys.executable, "-m", "litreview.cli.app_server", str(app_notebook()), "--no-browser",
        f"--Voila.ip={HOST}", "--Voila.port_retries=0", "--Voila.auto_token=True",
        f"--template={TEMPLATE}", HOST_CHECK, f"--port={port}",
    ]  # fmt: skip


def register(subs: Subparsers) -> None:
    """The ``app`` subcommand and its options."""
    pa = add_command(subs, NAME, SUMMARY, EXAMPLES)
    pa.add_argument("review", metavar="REVIEW", help="an existing review file (.litreview)")
    pa.add_argument(
        "--port", type=tcp_port, help="port on 127.0.0.1 (default: first free from 8866)"
    )
    pa.add_argument("--token", help="access token the URL carries (default: $LITREVIEW_TOKEN, "
                    "else a new random one; prefer the variable: flags show in ps)")  # fmt: skip
    pa.add_argument("--no-browser", action="store_true", help="do not open a browser")
    pa.add_argument("--dry-run", action="store_true", help="print the command, do not run it")
    pa.add_argument("--reviewer", help="who screens in the app (sets $LITREVIEW_REVIEWER)")


def handle(args: argparse.Namespace) -> int:
    """Start Voila on the review (or, with ``--dry-run``, print its command and URL)."""
    found = existing_review(args.review)
    review = found if isinstance(found, str) else found.resolve()  # a server URL as it is
    token = app_token(args.token)
    settings = {"LITREVIEW_REVIEW": str(review)}
    if args.reviewer:
        settings["LITREVIEW_REVIEWER"] = args.reviewer
    if args.dry_run:
        port = args.port or DEFAULT_PORT
        assignments = " ".join(
            f"{k}={shlex.quote(v)}"
            for k, v in {
                **settings,
                "JUPYTER_TOKEN": token,
                "JUPYTER_PATH": template_path(),
            }.items()
        )
        print(f"{assignments} {shlex.join(app_command(port))}")
        print(app_url(port, token))
        return 0
    if not app_notebook().is_file():
        raise FileNotFoundError(
            f"{app_notebook()}: the app notebook is missing; reinstall litreview"
        )
    if importlib.util.find_spec("voila") is None:
        raise RuntimeError("voila is not installed: pip install 'litreview[notebook]'")
    port = app_port(args.port)
    url = app_url(port, token)
    env = {**os.environ, **settings, "JUPYTER_TOKEN": token, "JUPYTER_PATH": template_path()}
    env.pop("JUPYTER_TOKEN_FILE", None)
    shown = getattr(review, "name", review)  # a file's name, or a server review's URL
    err(f"starting Voila on {shown} (Ctrl-C stops it); open this URL, it holds the token:")
    print(url, flush=True)
    if not args.no_browser:
        open_browser_later(url, port)
    return run_app(app_command(port), env)


def run_app(cmd: list[str], env: dict[str, str]) -> int:
    """Run Voila. On POSIX it replaces this process, so Ctrl-C and ``kill`` reach Voila
    itself and no server is left behind; elsewhere it runs as a child."""
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(cmd[0], cmd, env)
        return 0  # only reached when execve is replaced (tests)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


def open_when_ready(
    url: str, port: int, timeout: float = 120, opener: Callable[[str], object] = webbrowser.open
) -> bool:
    """Open ``url`` with ``opener`` once 127.0.0.1:``port`` accepts connections; ``False``
    if it never did within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
        except OSError:
            time.sleep(0.2)
            continue
        opener(url)
        return True
    return False


def open_browser_later(url: str, port: int) -> None:
    """Open the browser on ``url`` once Voila listens. Voila's own opener would show the
    login page (it knows no token), so litreview opens it: on POSIX from a detached
    grandchild (this process becomes Voila), elsewhere from a thread."""
    if os.name != "posix":
        threading.Thread(target=open_when_ready, args=(url, port), daemon=True).start()
        return
    child = os.fork()
    if child:
        os.waitpid(child, 0)  # the child exits at once; its own child lives on alone
        return
    try:  # pragma: no cover - runs in the forked processes
        if os.fork() == 0:
            open_when_ready(url, port)
    finally:
        os._exit(0)


def run_voila(argv: list[str] | None = None) -> None:
    """Voila's own entry point (``python -m voila``) without the deprecation warning the
    dict form of ``HOST_CHECK`` prints at every start: importing Voila turns traitlets'
    deprecation warnings on, so neither ``-W`` nor ``PYTHONWARNINGS`` can hide it."""
    import warnings

    import voila.app

    warnings.filterwarnings("ignore", "--tornado_settings", DeprecationWarning)
    voila.app.main(argv)


if __name__ == "__main__":  # pragma: no cover - run by litreview app (see app_command)
    run_voila()
