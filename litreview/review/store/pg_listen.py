"""Live updates of a server review: each commit notifies the review's channel
(``pg_notify`` inside the transaction, so a rolled-back change says nothing), and a
:class:`Listener` thread on its own connection hears every other client's commits.

The payload is ``{"pid": <the writer's server process>, "by": <its role>, "history":
<the last history id at its commit>}`` (writers take turns, so ids grow in commit
order); what changed is read by the subscriber from the history up to that id (so
row-level security applies).

>>> channel("cancer-screening")
'litreview_cancer_screening'
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
#: Seconds between the listener's checks that it should stop.
POLL_S = 0.5


def channel(review: str) -> str:
    """The LISTEN/NOTIFY channel of review ``review``."""
    return "litreview_" + review.replace("-", "_")


def notify(raw: Any, review: str) -> None:
    """Inside a write transaction: tell the listeners when (if) it commits."""
    raw.execute(
        "SELECT pg_notify(%s, json_build_object('pid', pg_backend_pid(), "
        "'by', current_user, 'history', (SELECT max(history_id) FROM history))::text)",
        (channel(review),),
    )


class Listener:
    """A daemon thread calling ``callback(payload)`` for each notification of
    ``review``'s channel; :meth:`stop` ends it (and closes its connection)."""

    def __init__(self, conninfo: str, review: str, callback: Callable[[dict[str, Any]], None]):
        import psycopg

        self._conn = psycopg.connect(conninfo, autocommit=True)
        self._conn.execute(f'LISTEN "{channel(review)}"')
        self._callback = callback
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="litreview-listen", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stopped.is_set():
                for note in self._conn.notifies(timeout=POLL_S, stop_after=1):
                    try:
                        self._callback(json.loads(note.payload))
                    except Exception:  # a subscriber's error never stops the others
                        log.exception("live update callback failed")
        except Exception as exc:
            if not self._stopped.is_set():
                log.warning("live updates stopped: %s", exc)
        finally:
            self._conn.close()

    def stop(self) -> None:
        """Stop listening (waits for the thread, at most one poll)."""
        self._stopped.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5 * POLL_S)
