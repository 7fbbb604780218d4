"""The generic resource store: every ``/<resource>/<verb>`` endpoint gets its meaning here.

A *resource* is a path prefix (``/channel/silence/rule``); its records are dicts in wire
form keyed by the resource's id field, which is read off the catalog (the id the ``info``,
``delete`` or ``update`` requests name, minus the scope ids the ``list`` request requires,
such as ``channel_id`` for channel rules). Verbs:

``create``  store the request body, filled up with plausible defaults, under a new id
``update``  merge the body into the record (``reset`` paths do the same for one field)
``upsert``  update when the id names a record, else create (under that id, when given)
``delete``, ``enable``, ``disable``  one id or a plural ``<id>s`` list
``info``/``infos``/``list``  read back; lists filter on scalar fields present in the body,
on ``<field>_ids`` lists and on ``query``, and paginate when the endpoint does
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from flashcat_prefect.api import Endpoint
from flashcat_prefect.api.annotations import decompose, wire_name
from flashcat_prefect.emulator.errors import ApiError, invalid, not_found
from flashcat_prefect.emulator.ids import ACCOUNT_ID, IdFactory, new_id_for
from flashcat_prefect.emulator.pagination import page_request, paginate
from flashcat_prefect.emulator.synth import sample

GENERIC_VERBS = frozenset(
    {"list", "info", "infos", "create", "update", "upsert", "delete", "enable", "disable", "reset"}
)
_NAME_FIELD_SUFFIXES = ("_name", "name", "title", "summary", "email")


@dataclass
class ResourceSpec:
    """What the catalog tells about one resource prefix."""

    prefix: str
    id_field: str = "id"
    integer_id: bool = False
    scope_fields: tuple[str, ...] = ()
    item_model: type[BaseModel] | None = None
    endpoints: dict[str, Endpoint] = field(default_factory=dict)


def resource_of(path: str) -> tuple[str, str]:
    """Split a path into (resource prefix, verb); ``/x/field/reset`` belongs to ``/x``."""
    prefix, _, verb = path.rpartition("/")
    if verb == "reset" and prefix.count("/") >= 2:
        prefix = prefix.rpartition("/")[0]
    return prefix, verb


def build_specs(catalog: Iterable[Endpoint]) -> dict[str, ResourceSpec]:
    """Derive a :class:`ResourceSpec` for every resource prefix in the catalog."""
    specs: dict[str, ResourceSpec] = {}
    for endpoint in catalog:
        if not endpoint.is_http:
            continue
        prefix, verb = resource_of(endpoint.path)
        specs.setdefault(prefix, ResourceSpec(prefix=prefix)).endpoints.setdefault(verb, endpoint)
    for spec in specs.values():
        _fill_spec(spec)
    return specs


def _fill_spec(spec: ResourceSpec) -> None:
    eps = spec.endpoints
    listing = eps.get("list")
    scope = tuple(
        name
        for name, info in _fields(listing.request_model if listing else None)
        if info.is_required() and name.endswith("_id")
    )
    candidates: list[tuple[str, Any]] = []
    for verb in ("info", "delete", "update", "enable", "disable"):
        ep = eps.get(verb)
        if ep is None:
            continue
        fields = _fields(ep.request_model)
        ordered = sorted(fields, key=lambda pair: not pair[1].is_required())
        candidates += [(n, i.annotation) for n, i in ordered if n.endswith("_id") or n == "id"]
        candidates += [(n[:-1], _item_type(i.annotation)) for n, i in ordered if n.endswith("_ids")]
    for verb in ("create", "upsert"):
        ep = eps.get(verb)
        if ep is not None:
            candidates += [
                (n, i.annotation) for n, i in _fields(ep.response_model) if n.endswith("_id")
            ]
    chosen = next(((n, t) for n, t in candidates if n not in scope), None)
    if chosen is not None:
        spec.id_field, spec.integer_id = chosen[0], _is_int(chosen[1])
    spec.scope_fields = scope
    spec.item_model = _item_model(spec)


def _fields(model: type[BaseModel] | None) -> list[tuple[str, Any]]:
    if model is None:
        return []
    return [(wire_name(n, i), i) for n, i in model.model_fields.items()]


def _item_type(annotation: Any) -> Any:
    """The item type of a list field (``channel_ids: list[int] | None`` -> ``int``)."""
    shape = decompose(annotation)
    return shape.item if shape.kind == "sequence" else shape.type


def _is_int(annotation: Any) -> bool:
    return decompose(annotation).kind == "int"


def _item_model(spec: ResourceSpec) -> type[BaseModel] | None:
    """The record shape: list items first (``/member/info`` describes the caller, not a
    member), then the ``info`` answer, then ``infos`` items."""
    listing = spec.endpoints.get("list")
    if listing is not None and listing.item_model is not None:
        return listing.item_model
    info = spec.endpoints.get("info")
    if info is not None and info.response_model.model_fields:
        return info.response_model
    for verb in ("list", "infos"):
        ep = spec.endpoints.get(verb)
        if ep is None:
            continue
        items = ep.response_model.model_fields.get("items")
        if items is not None:
            model = _item_type(items.annotation)
            if isinstance(model, type) and issubclass(model, BaseModel):
                return model
    return None


def _names_id(endpoint: Endpoint, id_field: str) -> bool:
    """Whether the endpoint's request can carry the resource id (or a list of them)."""
    names = {n for n, _ in _fields(endpoint.request_model)}
    return id_field in names or id_field + "s" in names


class Collection:
    """The records of one resource, keyed by id."""

    def __init__(self, spec: ResourceSpec) -> None:
        self.spec = spec
        self.records: dict[Any, dict[str, Any]] = {}

    def get(self, key: Any) -> dict[str, Any]:
        record = self.records.get(key)
        if record is None:
            raise not_found(self.spec.id_field, key)
        return record

    def put(self, record: dict[str, Any]) -> dict[str, Any]:
        self.records[record[self.spec.id_field]] = record
        return record

    def values(self) -> list[dict[str, Any]]:
        return list(self.records.values())


class ResourceStore:
    """All generic collections of one emulated account."""

    def __init__(
        self, specs: dict[str, ResourceSpec], ids: IdFactory, clock: Callable[[], int]
    ) -> None:
        self.specs = specs
        self.ids = ids
        self.clock = clock
        self._collections: dict[str, Collection] = {}
        self.lock = threading.RLock()

    def collection(self, prefix: str) -> Collection:
        found = self._collections.get(prefix)
        if found is None:
            spec = self.specs.get(prefix) or ResourceSpec(prefix=prefix)
            found = self._collections[prefix] = Collection(spec)
        return found

    def counts(self) -> dict[str, int]:
        """Records held per resource prefix."""
        return {prefix: len(coll.records) for prefix, coll in self._collections.items()}

    # -- record building -------------------------------------------------------------------

    def new_record(self, prefix: str, values: dict[str, Any]) -> dict[str, Any]:
        """A complete record: defaults from the item model, then ``values``, then bookkeeping."""
        coll = self.collection(prefix)
        spec = coll.spec
        record = sample(spec.item_model, fill_optional=True) if spec.item_model else {}
        now = self.clock()
        for key, default in (
            ("account_id", ACCOUNT_ID),
            ("created_at", now),
            ("updated_at", now),
            ("create_at", now),
            ("update_at", now),
        ):
            if isinstance(record.get(key), int):
                record[key] = default
        if isinstance(record.get("status"), str):
            record["status"] = "enabled"
        record.update(values)
        if values.get(spec.id_field) in (None, "", 0):
            record[spec.id_field] = new_id_for(spec.id_field, spec.integer_id, self.ids)
        return coll.put(record)

    # -- verbs -----------------------------------------------------------------------------

    def handle(self, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        """Answer a generic verb; the result is shaped to the response model by the caller."""
        prefix, verb = resource_of(endpoint.path)
        with self.lock:
            if verb not in ("list", "infos", "create", "upsert") and not _names_id(
                endpoint, self.collection(prefix).spec.id_field
            ):
                return self._singleton(prefix, verb, body)
            return getattr(self, f"_verb_{verb}")(prefix, endpoint, body)

    def _singleton(self, prefix: str, verb: str, body: dict[str, Any]) -> Any:
        """Resources the request does not address by id (preferences, the caller's own
        settings): one record per resource. A delete or status change that names no record
        is refused as not emulated rather than accepted as a no-op."""
        if verb not in ("info", "update", "reset"):
            raise ApiError(
                "BadRequest", f"{prefix}/{verb} is not emulated: the request names no record"
            )
        coll = self.collection(prefix)
        record = next(iter(coll.records.values()), None)
        if record is None:
            record = self.new_record(prefix, {})
        if verb in ("update", "reset"):
            record.update(body)
            return record
        return record if verb == "info" else None

    def _key(self, prefix: str, body: dict[str, Any]) -> Any:
        id_field = self.collection(prefix).spec.id_field
        key = body.get(id_field)
        if key in (None, "", 0):
            raise invalid(f"{id_field}: is required")
        return key

    def _keys(self, prefix: str, body: dict[str, Any]) -> list[Any]:
        id_field = self.collection(prefix).spec.id_field
        plural = body.get(id_field + "s")
        if isinstance(plural, list):
            return plural
        return [self._key(prefix, body)]

    def _verb_create(self, prefix: str, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        return self.new_record(prefix, body)

    def _verb_update(self, prefix: str, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        record = self.collection(prefix).get(self._key(prefix, body))
        record.update(body)
        if "updated_at" in record:
            record["updated_at"] = self.clock()
        return record

    _verb_reset = _verb_update

    def _verb_upsert(self, prefix: str, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        coll = self.collection(prefix)
        key = body.get(coll.spec.id_field)
        if key not in (None, "", 0) and key in coll.records:
            return self._verb_update(prefix, endpoint, body)
        return self.new_record(prefix, body)  # under the id the body names, if any

    def _verb_delete(self, prefix: str, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        coll = self.collection(prefix)
        for key in self._keys(prefix, body):
            coll.get(key)
            del coll.records[key]
        return None

    def _set_status(self, prefix: str, body: dict[str, Any], enabled: bool) -> None:
        coll = self.collection(prefix)
        for key in self._keys(prefix, body):
            record = coll.get(key)
            if "disabled" in record and not isinstance(record.get("status"), str):
                record["disabled"] = 0 if enabled else 1
            else:
                record["status"] = "enabled" if enabled else "disabled"
            if "updated_at" in record:
                record["updated_at"] = self.clock()

    def _verb_enable(self, prefix: str, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        self._set_status(prefix, body, True)

    def _verb_disable(self, prefix: str, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        self._set_status(prefix, body, False)

    def _verb_info(self, prefix: str, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        return self.collection(prefix).get(self._key(prefix, body))

    def _verb_infos(self, prefix: str, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        coll = self.collection(prefix)
        keys = body.get(coll.spec.id_field + "s") or []
        return {"items": [coll.records[k] for k in keys if k in coll.records]}

    def _verb_list(self, prefix: str, endpoint: Endpoint, body: dict[str, Any]) -> Any:
        records = filter_records(self.collection(prefix).values(), body)
        if endpoint.paginated == "page" or "p" in body or "limit" in body:
            page = page_request(body, limit_max=endpoint.page_limit_max)
            items, meta = paginate(records, page)
            return {"items": items, **meta}
        return {"items": records, "total": len(records), "has_next_page": False}


_PAGING_KEYS = frozenset({"p", "limit", "orderby", "asc", "search_after_ctx", "query"})


def filter_records(records: list[dict[str, Any]], body: dict[str, Any]) -> list[dict[str, Any]]:
    """Keep records matching the body's scalar fields, ``*_ids`` lists and ``query`` text."""
    selected = records
    for key, wanted in body.items():
        if key in _PAGING_KEYS or wanted in (None, "", [], {}):
            continue
        if isinstance(wanted, list) and key.endswith("s") and selected and key[:-1] in selected[0]:
            allowed = set(wanted)
            selected = [r for r in selected if r.get(key[:-1]) in allowed]
        elif (
            isinstance(wanted, (int, str))
            and not isinstance(wanted, bool)
            and selected
            and key in selected[0]
        ):
            selected = [r for r in selected if r.get(key) == wanted]
    query = body.get("query")
    if query:
        needle = str(query).lower()
        selected = [
            r
            for r in selected
            if any(
                needle in str(v).lower() for k, v in r.items() if k.endswith(_NAME_FIELD_SUFFIXES)
            )
        ]
    orderby = body.get("orderby")
    if orderby and selected and orderby in selected[0]:
        selected = sorted(
            selected, key=lambda r: r.get(orderby) or 0, reverse=not body.get("asc", False)
        )
    return selected
