"""Mapping data: rows of a mapping schema, keyed by their source label values.

A row (a ``doc``) must hold every source and result label of its schema; its key joins the
source label values with ``|``. Upserting a row with a known key replaces its fields.
"""

from __future__ import annotations

from typing import Any

from flashcat_prefect.emulator.errors import invalid
from flashcat_prefect.emulator.handlers.base import RequestContext, handles
from flashcat_prefect.emulator.pagination import page_request, paginate

SCHEMAS = "/enrichment/mapping/schema"
DATA = "/enrichment/mapping/data"
KEY_SEPARATOR = "|"


def _rows(ctx: RequestContext) -> dict[Any, dict[str, Any]]:
    return ctx.state.store.collection(DATA).records


def _schema(ctx: RequestContext) -> dict[str, Any]:
    return ctx.state.store.collection(SCHEMAS).get(ctx.body["schema_id"])


@handles(f"{DATA}/upsert")
def upsert_rows(ctx: RequestContext) -> dict[str, Any]:
    schema = _schema(ctx)
    sources = list(schema.get("source_labels") or [])
    wanted = sources + list(schema.get("result_labels") or [])
    keys = []
    for n, doc in enumerate(ctx.body["docs"]):
        missing = [label for label in wanted if label not in doc]
        if missing:
            raise invalid(f"docs[{n}]: misses the schema's labels {', '.join(missing)}")
        key = KEY_SEPARATOR.join(doc[label] for label in sources)
        slot = (schema["schema_id"], key)
        row = _rows(ctx).get(slot)
        if row is None:
            row = _rows(ctx)[slot] = {
                "schema_id": schema["schema_id"],
                "key": key,
                "created_at": ctx.now,
            }
        row.update(fields=dict(doc), updated_at=ctx.now)
        keys.append(key)
    return {"keys": keys}


@handles(f"{DATA}/list")
def list_rows(ctx: RequestContext) -> dict[str, Any]:
    schema = _schema(ctx)
    query = ctx.body.get("query") or {}
    rows = [
        r
        for r in _rows(ctx).values()
        if r["schema_id"] == schema["schema_id"]
        and all(r["fields"].get(k) == v for k, v in query.items())
    ]
    order = ctx.body.get("orderby") or "created_at"
    rows.sort(key=lambda r: r[order], reverse=not ctx.body.get("asc"))
    items, meta = paginate(
        [{k: v for k, v in r.items() if k != "schema_id"} for r in rows],
        page_request(ctx.body, limit_max=ctx.endpoint.page_limit_max),
    )
    return {"items": items, **meta}


@handles(f"{DATA}/delete")
def delete_rows(ctx: RequestContext) -> None:
    schema_id = _schema(ctx)["schema_id"]
    for key in ctx.body["keys"]:
        _rows(ctx).pop((schema_id, key), None)


@handles(f"{DATA}/truncate")
def truncate_rows(ctx: RequestContext) -> None:
    schema_id = _schema(ctx)["schema_id"]
    for slot in [s for s, r in _rows(ctx).items() if r["schema_id"] == schema_id]:
        del _rows(ctx)[slot]
