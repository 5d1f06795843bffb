"""With DATABASE_REPLICA_URL set: the reports read from the replica, everything else uses default.

Only the reads the reporting code marks (``klachtformulieren.reporting.reads``) go to the
replica: the annual report and the figures, which read a whole year and may be a few seconds
behind. Every write, every other read, every read inside a transaction and every migration
stay on the primary.
"""

from django.db import connections

from klachtformulieren.reporting.reads import reading_for_report

REPLICA = "replica"


class ReportReplicaRouter:
    def db_for_read(self, model, **hints):
        # Inside a transaction on the primary (a report computed to be stored, say) the reads
        # stay there: the replica has not seen that transaction's writes.
        if reading_for_report() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
