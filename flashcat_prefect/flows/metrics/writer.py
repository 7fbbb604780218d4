"""The export's files: streaming incidents to Parquet, merging runs, CSV, reading back.

The export's window tasks hand each page they read to one :class:`IncidentSink`. The sink
drops incidents it has already seen (windows may touch at their edges, and an incident can
move between pages while a cursor is followed), converts each page to Arrow, keeps at most
about ``batch_rows`` converted rows in memory, and appends them as row groups to a single
``pyarrow.parquet.ParquetWriter`` on a writer thread of its own. Files are written under a
temporary name and renamed into place when complete, so a reader never sees half a file and
a failed run leaves the previous export intact.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from flashcat_prefect.flows.metrics.background import WorkerThread
from flashcat_prefect.flows.metrics.frame import (
    ChannelDirectory,
    incident_batch,
    typed_frame,
    wire_array,
)
from flashcat_prefect.flows.metrics.plan import PARQUET_NAME

DEFAULT_BATCH_ROWS = 20_000
"""Converted rows buffered before they go to the Parquet writer (about the row-group size)."""


READ_BATCH_ROWS = 65_536
"""Rows read at a time when a finished Parquet file is merged or converted."""


def temporary_path(path: Path) -> Path:
    """A fresh sibling path to write to before an atomic rename onto ``path``."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:16]}.tmp")


def remove_stale_temporaries(directory: Path, names: Iterable[str]) -> list[Path]:
    """Delete what a killed run left of ``names`` in ``directory`` (their temporary files);
    returns what was removed. Only one export should write to a directory at a time."""
    stale = [tmp for name in names for tmp in directory.glob(f".{name}.*.tmp") if tmp.is_file()]
    for tmp in stale:
        tmp.unlink(missing_ok=True)
    return stale


def unix_seconds(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """A timestamp column (any unit; Parquet reads back milliseconds) as int64 unix seconds."""
    return column.cast(pa.timestamp("s", tz=column.type.tz)).cast(pa.int64())


def replace_atomically(tmp: Path, path: Path) -> None:
    """Move a finished ``tmp`` onto ``path`` (one rename on the same file system)."""
    os.replace(tmp, path)


class IncidentSink:
    """Thread-safe, de-duplicating, incremental Parquet writer for incident pages.

    ``add_page`` may be called from many threads. A full batch is derived and written on
    the sink's own writer thread (one batch at a time; the next full batch waits for it), so
    the caller goes back to fetching: the Parquet encoding runs without the GIL. Call
    ``close`` once at the end (or use the sink as a context manager); until then the rows
    live in a temporary file.
    """

    def __init__(
        self,
        path: Path,
        schema: pa.Schema,
        directory: ChannelDirectory,
        *,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> None:
        self.path = path
        self.tmp_path = temporary_path(path)
        self.schema = schema
        self._directory = directory
        self._batch_rows = batch_rows
        self._lock = threading.Lock()  # ids, buffered rows, counters
        self._seen: set[str] = set()
        self._pages: list[pa.StructArray] = []  # converted, waiting for a full row group
        self._buffered = 0
        self._writer: pq.ParquetWriter | None = None
        self._writer_thread = WorkerThread("parquet")  # one batch written at a time
        self.duplicates = 0

    @property
    def count(self) -> int:
        """Distinct incidents accepted so far."""
        return len(self._seen)

    def add_page(self, items: Iterable[Mapping[str, Any]]) -> int:
        """Accept one page of ``/incident/list`` items; return how many were new.

        Only the id check and the buffer hold the shared lock; the page is converted to Arrow
        outside it and a full batch goes to the writer thread, so other threads keep adding.
        Converting each page at once lets its dicts go while they are warm in
        memory (holding thousands of them costs more than the conversion).
        """
        items = list(items)
        with self._lock:
            fresh = [item for item in items if item["incident_id"] not in self._seen]
            self._seen.update(item["incident_id"] for item in fresh)
            self.duplicates += len(items) - len(fresh)
        if not fresh:
            return 0
        page = wire_array(fresh)
        with self._lock:
            self._pages.append(page)
            self._buffered += len(page)
            full = self._take_pages() if self._buffered >= self._batch_rows else None
        if full:  # once the previous batch is written; a failed write is raised here
            self._writer_thread.hand_off(self._write, full)
        return len(fresh)

    def _take_pages(self) -> list[pa.StructArray]:
        pages, self._pages, self._buffered = self._pages, [], 0
        return pages

    def _write(self, pages: list[pa.StructArray]) -> None:
        """Append converted pages to the Parquet file (opened on first use) as one row group.

        Runs on the writer thread, one batch at a time, or in ``close`` once that thread has
        ended: the Parquet writer never has two users.
        """
        if self._writer is None:
            self.tmp_path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.tmp_path, self.schema, compression="zstd")
        if pages:
            batch = incident_batch(pa.concat_arrays(pages), self.schema, self._directory)
            self._writer.write_batch(batch, row_group_size=batch.num_rows)

    def _close_file(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def close(self) -> None:
        """Write what is buffered and finish the temporary file (an empty export is valid)."""
        self._writer_thread.close()
        with self._lock:
            rest = self._take_pages()
        self._write(rest)
        self._close_file()

    def discard(self) -> None:
        """Drop the temporary file after a failure."""
        self._writer_thread.close(raise_failure=False)  # the caller reports the first failure
        self._close_file()
        self.tmp_path.unlink(missing_ok=True)

    def __enter__(self) -> IncidentSink:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is not None:
            self.discard()
        else:
            self.close()


def merge_into(existing: Path, fresh: Path, dest: Path, schema: pa.Schema) -> tuple[int, int]:
    """Write ``dest`` = rows of ``existing`` not in ``fresh`` + all rows of ``fresh``.

    Rows are matched by ``incident_id``; the fresh copy wins. Reads in batches and writes to
    a temporary file renamed onto ``dest`` at the end. Returns ``(kept, replaced)``: the old
    rows kept unchanged and the old rows that ``fresh`` replaced.
    """
    fresh_ids = pq.read_table(fresh, columns=["incident_id"]).column("incident_id").combine_chunks()
    tmp = temporary_path(dest)
    kept = replaced = 0
    try:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            for batch in pq.ParquetFile(existing).iter_batches(batch_size=READ_BATCH_ROWS):
                batch = _conform(batch, schema)
                stale = pc.is_in(batch.column("incident_id"), value_set=fresh_ids)
                keep = batch.filter(pc.invert(stale))
                kept += keep.num_rows
                replaced += batch.num_rows - keep.num_rows
                if keep.num_rows:
                    writer.write_batch(keep)
            for batch in pq.ParquetFile(fresh).iter_batches(batch_size=READ_BATCH_ROWS):
                writer.write_batch(_conform(batch, schema))
        replace_atomically(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return kept, replaced


def _conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """Cast a batch read back from Parquet to the writer's schema (dictionaries, zone)."""
    return batch.select(schema.names).cast(schema)


def _csv_field(field: pa.Field) -> pa.Field:
    """Dictionaries as plain strings; zoned datetimes as ISO 8601 text with their offset."""
    if pa.types.is_dictionary(field.type) or pa.types.is_timestamp(field.type):
        return pa.field(field.name, pa.string())
    return field


def local_iso_with_offset(column: pa.Array) -> pa.Array:
    """Zoned timestamps as local wall-clock text with the offset (``2026-03-02 10:00:00+08:00``):
    what a spreadsheet shows, and unambiguous for whoever parses it.

    Built from casts and a lookup of the few distinct offsets: ``strftime`` with ``%z`` is
    about fifteen times slower on large exports.
    """
    seconds = column.cast(pa.timestamp("s", tz=column.type.tz))
    local = pc.local_timestamp(seconds)
    offsets = pc.subtract(local.cast(pa.int64()), seconds.cast(pa.int64()))
    distinct = pc.unique(offsets).drop_null()
    labels = pa.array([_offset_text(value) for value in distinct.to_pylist()], pa.string())
    suffix = pc.take(labels, pc.index_in(offsets, value_set=distinct))
    return pc.binary_join_element_wise(local.cast(pa.string()), suffix, "")


def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"


def _csv_batch(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    columns = []
    for column, field in zip(batch.columns, batch.schema, strict=True):
        if pa.types.is_timestamp(field.type) and field.type.tz:
            column = local_iso_with_offset(column)
        columns.append(column.cast(schema.field(field.name).type))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def parquet_to_csv(source: Path, dest: Path) -> None:
    """Write ``source`` as CSV, batch by batch, atomically.

    Datetimes are written as local wall-clock times in the zone the export was made in, with
    their offset (``2026-03-02 10:00:00+08:00``); the Parquet file keeps the zone itself.
    """
    tmp = temporary_path(dest)
    parquet = pq.ParquetFile(source)
    plain = pa.schema([_csv_field(f) for f in parquet.schema_arrow])
    try:
        with pa_csv.CSVWriter(tmp, plain) as writer:
            for batch in parquet.iter_batches(batch_size=READ_BATCH_ROWS):
                writer.write_batch(_csv_batch(batch, plain))
        replace_atomically(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def watermark_state(parquet_path: Path) -> dict[str, Any]:
    """Where the exported file stands: newest start, oldest open start, newest update."""
    table = pq.read_table(parquet_path, columns=["start_time", "updated_at", "progress"])
    starts = unix_seconds(table.column("start_time"))
    still_open = pc.not_equal(table.column("progress").cast("string"), "Closed")
    open_starts = pc.filter(starts, pc.fill_null(still_open, True))
    return {
        "newest_start": pc.max(starts).as_py() or 0,
        "oldest_open_start": pc.min(open_starts).as_py(),
        "updated_at": pc.max(unix_seconds(table.column("updated_at"))).as_py() or 0,
        "rows": table.num_rows,
    }


def count_changed(fresh: Path, existing: Path, updated_after: int) -> tuple[int, int]:
    """``(new, changed)`` rows of ``fresh``: ids absent from ``existing``, and present ones
    whose ``updated_at`` is later than the previous watermark."""
    old_ids = pq.read_table(existing, columns=["incident_id"]).column("incident_id")
    table = pq.read_table(fresh, columns=["incident_id", "updated_at"])
    known = pc.is_in(table.column("incident_id"), value_set=old_ids.combine_chunks())
    moved = pc.greater(unix_seconds(table.column("updated_at")), updated_after)
    new = table.num_rows - pc.sum(known).as_py() if table.num_rows else 0
    changed = pc.sum(pc.and_(known, pc.fill_null(moved, False))).as_py() or 0
    return int(new), int(changed)


def load_exported_incidents(
    path: str | Path = "flashcat-export", columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Read an export back as a typed pandas DataFrame.

    ``path`` is the export's output directory or its ``incidents.parquet``. Datetimes come
    back aware in the export's time zone; severity, status, progress and assignment type are
    categories; ids and counts nullable ``Int64``.
    """
    source = Path(path)
    if source.is_dir():
        source = source / PARQUET_NAME
    if not source.exists():
        raise FileNotFoundError(f"path: no exported incidents at {source}")
    return typed_frame(pq.read_table(source, columns=list(columns) if columns else None))
