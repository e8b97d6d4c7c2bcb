"""CPU time spent by this test process and its child processes (the sandbox workers), on Linux.

Wall time on a machine shared with other work says how busy the machine was; CPU time says
what a file cost to read. Tests that bound the cost of one file time it with :func:`cpu_seconds`
and keep a wall bound only for "it ended, nothing hung".
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path


def cpu_seconds() -> float:
    """CPU seconds used so far by this process, its finished children and its live ones.

    The difference of two readings is what the work between them cost, even when a worker
    was replaced in between: a worker reaped since the first reading is counted whole in
    ``RUSAGE_CHILDREN``, less what the first reading already saw of it alive.
    """
    me, tick, live = os.getpid(), os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me:  # fields after the name: state, ppid, ..., utime (11), stime (12)
            live += int(fields[11]) + int(fields[12])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime + live / tick
