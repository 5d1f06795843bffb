"""Which reads are the reports': a host's database router can send them to a read replica.

The annual report and the figures read a whole year of cases and change nothing, so a
replica a few seconds behind serves them as well as the primary, and spares it. The plugin
only marks those reads; the host decides where they go (``portal/db_router.py``).
"""

from contextlib import contextmanager
from contextvars import ContextVar

_REPORT_READS = ContextVar("klachtformulieren_report_reads", default=False)


def reading_for_report():
    """Whether the current code runs inside ``report_reads``."""
    return _REPORT_READS.get()


@contextmanager
def report_reads():
    """Marks the reads inside (a block, or a function it decorates) as a report's."""
    token = _REPORT_READS.set(True)
    try:
        yield
    finally:
        _REPORT_READS.reset(token)
