"""When the benchmark's reports were committed: PostgreSQL's commit timestamp of each
report's row (track_commit_timestamp) beside the instant the report was stamped with as
the node started the command. The difference is the command's own write, which the
fan-out's latency, from commit to delivery, does not count."""

from __future__ import annotations

from datetime import datetime

import orjson
import psycopg

from domain.events import topics_of
from infra.bench.fanout.figures import Stamp, stamp_of

REPORTS = topics_of(["CaseReported"])
SINCE = """SELECT state, pg_xact_commit_timestamp(xmin) FROM events
           WHERE position > %s AND topic = ANY(%s)"""


class Commits:
    """The commit instants of the reports recorded in one database."""

    def __init__(self, url: str) -> None:
        self._url = url
        with psycopg.connect(url) as connection:
            setting = connection.execute("SHOW track_commit_timestamp").fetchone()
        self.known = setting is not None and setting[0] == "on"
        """False: the server keeps no commit timestamps, latencies count from the stamp."""

    def head(self) -> int:
        """The last position now: reports after it belong to the step about to run."""
        with psycopg.connect(self._url) as connection:
            row = connection.execute("SELECT coalesce(max(position), 0) FROM events").fetchone()
        return int(row[0]) if row else 0

    def since(self, after: int) -> dict[Stamp, float]:
        """Seconds from each report's stamp to its commit, for the reports after `after`."""
        if not self.known:
            return {}
        with psycopg.connect(self._url) as connection:
            rows = connection.execute(SINCE, (after, REPORTS)).fetchall()
        found = {}
        for state, committed in rows:
            stamped = datetime.fromisoformat(orjson.loads(state)["at"]["_data_"])
            found[stamp_of(stamped)] = (committed - stamped).total_seconds()
        return found
