"""The metrics export's files as Prefect assets, with the account's incidents upstream.

Each data file (Parquet, CSV, summary CSV) is an asset keyed by its ``file://`` URI, so the
same output directory always materializes the same assets and the UI shows one lineage
graph per export location. The upstream asset stands for the Flashduty account's incidents
(``flashduty://<host>/accounts/<fingerprint>/incidents``; the fingerprint is a hash of the
app key, never the key). Materialization metadata carries row count, time range and schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pyarrow.parquet as pq
from prefect.assets import Asset, AssetProperties, add_asset_metadata, materialize
from prefect.cache_policies import NO_CACHE

from flashcat_prefect.flows._events import account_fingerprint, file_uri

if TYPE_CHECKING:
    from flashcat_prefect.credentials import FlashcatCredentials

MATERIALIZED_BY = "flashcat-prefect"
DATA_FILES = {
    "parquet": "Flashduty incidents (Parquet)",
    "csv": "Flashduty incidents (CSV)",
    "summary_csv": "Flashduty incident metrics summary (CSV)",
}
"""Report ``files`` entries that are data assets, with their display names (the PNG is not)."""


def incidents_asset(credentials: FlashcatCredentials) -> Asset:
    """The account's incidents on Flashduty, as the upstream asset of every export."""
    host = urlsplit(credentials.base_url).netloc or "flashduty"
    return Asset(
        key=f"flashduty://{host}/accounts/{account_fingerprint(credentials)}/incidents",
        properties=AssetProperties(
            name="Flashduty incidents",
            description="Incidents of one Flashduty account, read through /incident/list.",
        ),
    )


def file_assets(files: Mapping[str, str]) -> dict[str, Asset]:
    """Asset per data file of an export, keyed like ``files`` (parquet, csv, summary_csv)."""
    return {
        kind: Asset(
            key=file_uri(path),
            properties=AssetProperties(name=DATA_FILES[kind], url=file_uri(path)),
        )
        for kind, path in files.items()
        if kind in DATA_FILES
    }


def file_metadata(
    files: Mapping[str, str], *, rows: int, summary_rows: int, time_range: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Materialization metadata per data file: row count, time range and schema."""
    metadata: dict[str, dict[str, Any]] = {}
    incident_schema: list[dict[str, str]] | None = None
    if "parquet" in files:
        schema = pq.read_schema(files["parquet"])
        incident_schema = [{"name": f.name, "type": str(f.type)} for f in schema]
    for kind, path in files.items():
        if kind not in DATA_FILES:
            continue
        entry: dict[str, Any] = {"path": path, "time_range": dict(time_range)}
        if kind == "summary_csv":
            entry["rows"] = summary_rows
            with open(path, encoding="utf-8") as handle:
                entry["schema"] = [{"name": name} for name in handle.readline().strip().split(",")]
        else:
            entry["rows"] = rows
            if incident_schema is not None:
                entry["schema"] = incident_schema
        metadata[kind] = entry
    return metadata


def _attach_metadata(metadata_by_key: dict[str, dict[str, Any]]) -> list[str]:
    for key, metadata in metadata_by_key.items():
        add_asset_metadata(key, metadata)
    return sorted(metadata_by_key)


def record_export_assets(
    credentials: FlashcatCredentials,
    files: Mapping[str, str],
    metadata: Mapping[str, dict[str, Any]],
) -> list[str]:
    """Run one materializing task for the export's data files (Prefect then emits a
    ``prefect.asset.materialization.succeeded`` event per file, with the incidents upstream).
    Returns the asset keys."""
    assets = file_assets(files)
    if not assets:
        return []
    materializing = materialize(
        *assets.values(),
        by=MATERIALIZED_BY,
        name="record-export-assets",
        asset_deps=[incidents_asset(credentials)],
        cache_policy=NO_CACHE,
        tags=["flashcat", "incidents"],
    )(_attach_metadata)
    return materializing({assets[kind].key: metadata[kind] for kind in assets})
