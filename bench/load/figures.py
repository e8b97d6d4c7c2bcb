"""Numbers from what the load saw (locust's records) and from what the database holds.

The database is the judge of lost and doubled checks: an upload counts as stored when its
submission row exists, whatever answer reached the client, and as completed when one of its
checks is done. Latencies come from the clients' side, from sending the upload to the poll
that saw the check finished.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (share in 0..1), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def read_records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def read_statuses(path: Path) -> Counter[str]:
    return Counter(json.loads(path.read_text())) if path.exists() else Counter()


def errors_only(statuses: Counter[str]) -> dict[str, int]:
    """Every answer that was not a success (4xx, 5xx, none at all), by status."""
    return {k: v for k, v in sorted(statuses.items()) if not (k.isdigit() and 200 <= int(k) < 400)}


def server_errors(statuses: Counter[str]) -> int:
    return sum(v for k, v in statuses.items() if k.isdigit() and 500 <= int(k) < 600)


def latencies(records: list[dict[str, Any]]) -> dict[str, Any]:
    """From sending the upload to a finished report; and the upload's own answer time."""
    report = [r["report_ms"] for r in records if r.get("state") == "done" and "report_ms" in r]
    upload = [r["upload_ms"] for r in records if "upload_ms" in r]
    by_service: dict[str, list[float]] = {}
    for r in records:
        if r.get("state") == "done" and "report_ms" in r:
            by_service.setdefault(r["service"], []).append(r["report_ms"])
    return {
        "uploads": len(records), "reports": len(report),
        "p50_ms": rounded(percentile(report, 0.50)), "p95_ms": rounded(percentile(report, 0.95)),
        "p99_ms": rounded(percentile(report, 0.99)), "max_ms": rounded(max(report, default=None)),
        "upload_p50_ms": rounded(percentile(upload, 0.50)), "upload_p95_ms": rounded(percentile(upload, 0.95)),
        "p50_ms_by_service": {s: rounded(percentile(v, 0.50)) for s, v in sorted(by_service.items())},
    }


def done_checks(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM checks WHERE state = 'done'").fetchone()[0])


def unfinished_submissions(conn: Any) -> int:
    """Stored submissions none of whose checks has finished (done or failed) yet."""
    return int(conn.execute(
        "SELECT count(*) FROM submissions s WHERE NOT EXISTS "
        "(SELECT 1 FROM checks c WHERE c.submission_id = s.id AND c.state IN ('done', 'failed'))").fetchone()[0])


def open_checks(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM checks WHERE state IN ('queued', 'running')").fetchone()[0])


def outcome(conn: Any) -> dict[str, Any]:
    """Stored, completed, lost and doubled, counted in the database."""
    stored = int(conn.execute("SELECT count(*) FROM submissions").fetchone()[0])
    completed = int(conn.execute(
        "SELECT count(DISTINCT submission_id) FROM checks WHERE state = 'done'").fetchone()[0])
    states = dict(conn.execute("SELECT state, count(*) FROM checks GROUP BY state").fetchall())
    doubled_checks = int(conn.execute(
        "SELECT count(*) FROM (SELECT submission_id FROM checks WHERE state = 'done' "
        "GROUP BY submission_id HAVING count(*) > 1) t").fetchone()[0])
    doubled_events = int(conn.execute(
        "SELECT count(*) FROM (SELECT submission_id FROM events WHERE kind = 'checked' "
        "GROUP BY submission_id HAVING count(*) > 1) t").fetchone()[0])
    doubled = int(conn.execute(
        "SELECT count(*) FROM submissions s WHERE "
        "(SELECT count(*) FROM checks c WHERE c.submission_id = s.id AND c.state = 'done') > 1 OR "
        "(SELECT count(*) FROM events e WHERE e.submission_id = s.id AND e.kind = 'checked') > 1").fetchone()[0])
    retried = int(conn.execute("SELECT count(*) FROM checks WHERE attempts > 1").fetchone()[0])
    errors = [row[0] for row in conn.execute(
        "SELECT DISTINCT error FROM checks WHERE state = 'failed' AND error IS NOT NULL LIMIT 10").fetchall()]
    return {"stored": stored, "completed": completed, "lost": stored - completed, "duplicated": doubled,
            "duplicated_done_checks": doubled_checks, "duplicated_checked_events": doubled_events,
            "checks_by_state": states, "checks_run_more_than_once": retried, "failed_reasons": errors}
