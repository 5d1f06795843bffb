"""Fast writers of whole cases and their history records, for the generator and the importer.

They take rows as plain values (one dict per case, one per history record, keyed by column
attname) that the workflow's in-memory steps produced (``case_row``, ``history_row``), and
write them in batches: PostgreSQL by COPY, other databases by executemany. That bypasses
``Complaint.save()``, so the rows must carry their stored due dates already; the database's
check constraints still refuse any status, outcome and dates the workflow cannot produce.
"""

import json
import operator
import queue
import threading

from django.db import connection
from django.db.models import Max

from klachtformulieren.models import Complaint

HistoricalComplaint = Complaint.history.model
# The history copies every field but the status token hash (see Complaint.history).
NOT_IN_HISTORY = ("status_token_hash", "phone_digits", "letter_not_sent")
COMPLAINT_COLUMNS = tuple(field.attname for field in Complaint._meta.concrete_fields)
# The columns written: not those the database computes itself (GeneratedField).
WRITTEN_COLUMNS = tuple(
    field.attname for field in Complaint._meta.concrete_fields if not getattr(field, "generated", False)
)


def new_complaint(**values):
    """An unsaved ``Complaint`` with ``values`` (by attname, e.g. ``kind_id``) and the model's
    defaults for the rest, built positionally: Django's fast path, several times quicker than
    keyword arguments when a million are made."""
    unknown = values.keys() - _CONSTANT_DEFAULTS.keys()
    if unknown:
        raise TypeError(f"Complaint has no column {', '.join(sorted(unknown))}.")
    row = {**_CONSTANT_DEFAULTS, **{name: default() for name, default in _CALLED_DEFAULTS.items()}, **values}
    return Complaint(*(row[name] for name in COMPLAINT_COLUMNS))


# The defaults, worked out once; a default that is a callable (a new list, the time now) is called per case.
_CONSTANT_DEFAULTS = {field.attname: field.get_default() for field in Complaint._meta.concrete_fields}
_CALLED_DEFAULTS = {
    field.attname: field.get_default
    for field in Complaint._meta.concrete_fields
    if field.has_default() and callable(field.default)
}


def for_database():
    """The writer for the database in use."""
    return CopyWriter() if connection.vendor == "postgresql" else InsertWriter()


def case_row(complaint):
    """A complaint built in memory, as a row; its due dates are computed first, as save() would."""
    complaint.refresh_due_dates()
    values = vars(complaint)  # a column's value is the instance attribute of its attname
    return {name: values[name] for name in WRITTEN_COLUMNS}


def history_row(row, *, at, history_type, user_id, step="", reason=""):
    """The history record of a case row at one moment, as simple-history would write it."""
    record = {name: value for name, value in row.items() if name not in NOT_IN_HISTORY}
    record.update(
        history_date=at,
        history_type=history_type,
        history_user_id=user_id,
        history_step=step,
        history_change_reason=reason[:100] if reason else "",
    )
    return record


def _columns(model):
    """The columns a batch writes: every concrete field but the history's own auto id."""
    return [f for f in model._meta.concrete_fields if f.attname != "history_id" and not getattr(f, "generated", False)]


class CopyWriter:
    """PostgreSQL: COPY, from a second thread, so that building the rows (this thread) and
    storing them (the database server) keep both cores busy.

    The second thread uses the transaction's own psycopg connection; this thread runs no
    query until ``__exit__`` has joined it.
    """

    QUEUED_BATCHES = 2

    def __init__(self):
        self.raw_connection = connection.connection
        self.batches = queue.Queue(maxsize=self.QUEUED_BATCHES)
        self.thread = threading.Thread(target=self._store_batches, name="generate_complaints COPY", daemon=True)
        self.error = None
        self.cancelled = False
        self.statements = {model: self._statement(model) for model in (Complaint, HistoricalComplaint)}
        self.json = {}

    def reserve_ids(self, count):
        """Ids from the table's own sequence, so the intake's next case gets the next free one."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Complaint._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def __enter__(self):
        self.thread.start()
        return self

    def write(self, complaints, history):
        self._put((complaints, history))

    def __exit__(self, error_type, error, traceback):
        self.cancelled = error_type is not None
        self._put(None)
        self.thread.join()
        if self.error is not None and error is None:
            raise self.error

    def _put(self, item):
        while self.thread.is_alive():
            try:
                self.batches.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        if self.error is not None:
            raise self.error

    def _store_batches(self):
        try:
            while (batch := self.batches.get()) is not None:
                if not self.cancelled:
                    complaints, history = batch
                    self._copy(Complaint, complaints)
                    self._copy(HistoricalComplaint, history)
        except BaseException as error:  # handed to the building thread, which raises it
            self.error = error

    @staticmethod
    def _statement(model):
        fields = _columns(model)
        quote = connection.ops.quote_name
        sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
        json_fields = [f.attname for f in fields if f.get_internal_type() == "JSONField"]
        return sql, operator.itemgetter(*(f.attname for f in fields)), json_fields

    def _copy(self, model, rows):
        sql, values, json_fields = self.statements[model]
        with self.raw_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                for name in json_fields:
                    row[name] = self._dumped(row[name])
                copy.write_row(values(row))

    def _dumped(self, value):
        # The builder shares a few answer lists between cases: dump each once. The cache
        # holds the value itself, so its id cannot be reused by another object meanwhile.
        cached = self.json.get(id(value))
        if cached is None:
            if len(self.json) > 100:
                self.json.clear()
            cached = self.json[id(value)] = (value, json.dumps(value))
        return cached[1]


class InsertWriter:
    """Other databases (SQLite in development and tests): executemany, ids counted on from the highest."""

    def __init__(self):
        self.statements = {}

    def reserve_ids(self, count):
        last_id = Complaint.objects.aggregate(last=Max("pk"))["last"] or 0
        return range(last_id + 1, last_id + count + 1)

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        return None

    def write(self, complaints, history):
        self._insert(Complaint, complaints)
        self._insert(HistoricalComplaint, history)

    def _insert(self, model, rows):
        if model not in self.statements:
            fields = _columns(model)
            quote = connection.ops.quote_name
            # Table and column names from the model, quoted; the values go as parameters.
            sql = (
                f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(fields))})"
            )
            self.statements[model] = (sql, fields)
        sql, fields = self.statements[model]
        params = [[f.get_db_prep_save(row[f.attname], connection) for f in fields] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
