"""Generate the endpoint catalog, pydantic models, client namespaces, tasks and docs.

Reads only the API facts vendored in the package, ``flashcat_prefect/api/spec/`` (checked
against its ``SHA256SUMS`` first), and the hand-kept tables in ``tools/api_tables.yaml``;
renders the Jinja2 templates in ``tools/templates/`` and writes, deterministically:

- ``flashcat_prefect/api/_generated/<area>.py``: request/response models per area, one class
  per structurally distinct shape (see :class:`ModelRegistry`),
- ``flashcat_prefect/api/_generated/entities.py``: the shapes more than one area uses,
- ``flashcat_prefect/api/_generated/catalog_data.py``: ``CATALOG``,
- ``flashcat_prefect/client/_generated_resources.py``: one resource class per area (sync and
  async) and the ``SyncResources`` / ``AsyncResources`` mixins,
- ``flashcat_prefect/tasks/<area>.py`` and ``flashcat_prefect/tasks/__init__.py``,
- ``docs/api.md`` (each endpoint's models, method, tasks and emulator handler).

Only facts travel from the source (paths, field names, types, limits, enums); every sentence
written into the output is ours. Run ``python tools/generate_api.py`` after the spec snapshot,
the tables or a template changes, and commit the result.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import keyword
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

TOOLS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TOOLS_DIR.parent
PACKAGE = "flashcat_prefect"
SPEC_DIR = REPO_ROOT / PACKAGE / "api" / "spec"
TABLES_FILE = TOOLS_DIR / "api_tables.yaml"
TEMPLATES_DIR = TOOLS_DIR / "templates"

# ---------------------------------------------------------------------------------------------
# Inputs: the vendored spec snapshot and the hand-kept tables
# ---------------------------------------------------------------------------------------------


def verify_spec_snapshot(spec_dir: Path = SPEC_DIR) -> None:
    """Fail unless every file listed in ``SHA256SUMS`` is present with its recorded hash."""
    sums = spec_dir / "SHA256SUMS"
    if not sums.exists():
        raise SystemExit(f"{sums} is missing: the spec snapshot has no recorded hashes")
    for line in sums.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, name = line.split(maxsplit=1)
        path = spec_dir / name.strip().lstrip("*")
        if not path.exists():
            raise SystemExit(f"spec snapshot file {path.name} is missing")
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest:
            raise SystemExit(
                f"spec snapshot file {path.name} does not match SHA256SUMS "
                f"({actual} != {digest}); restore it or record the new snapshot's hashes"
            )


def load_tables(path: Path = TABLES_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


_TABLES = load_tables()
IN_SCOPE_SECTIONS: frozenset[str] = frozenset(_TABLES["in_scope_sections"])
PUBLIC_SPEC_ONLY_SECTIONS: frozenset[str] = frozenset(_TABLES["public_spec_only_sections"])
READ_PATHS: frozenset[str] = frozenset(_TABLES["read_paths"])
SERVER_ASSIGNED_FIELDS: frozenset[str] = frozenset(_TABLES["server_assigned_fields"])
PATCH_PATHS: frozenset[str] = frozenset(_TABLES["update_semantics"]["patch"])
REPLACE_PATHS: frozenset[str] = frozenset(_TABLES["update_semantics"]["replace"])
CONCURRENCY_FIELDS: frozenset[str] = frozenset(_TABLES["concurrency_fields"])
AREA_PREFIXES: dict[str, str] = _TABLES["area_prefixes"]
AREA_NOUNS: dict[str, tuple[str, str]] = {k: tuple(v) for k, v in _TABLES["area_nouns"].items()}
PLURAL_VERBS: frozenset[str] = frozenset(_TABLES["plural_verbs"])
NAME_OVERRIDES: dict[str, tuple[str, str | None]] = {
    k: tuple(v) for k, v in _TABLES["name_overrides"].items()
}
OUTBOUND_NAMES: dict[str, tuple[str, str, str]] = {
    k: tuple(v) for k, v in _TABLES["outbound_names"].items()
}
SECRET_QUERY_FIELDS: frozenset[str] = frozenset(_TABLES["secret_query_fields"])
READ_VERBS: frozenset[str] = frozenset(_TABLES["read_verbs"])
FIELD_OVERRIDES: dict[str, dict[str, dict[str, Any]]] = _TABLES["field_overrides"]
OBJECT_ID_FIELDS = re.compile(_TABLES["object_id_fields"])
SETTINGS_BY_KIND: dict[str, dict[str, list[str]]] = _TABLES["settings_by_kind"]
KIND_TABLE_KEY = "$settings_by_kind"
"""Key under which a rule item's field map carries its kind -> required settings table."""

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
    autoescape=False,
)


def render(template: str, **context: Any) -> str:
    return TEMPLATES.get_template(template).render(**context)


HEX24 = r"^[0-9a-fA-F]{24}$"
HEX32 = r"^[0-9a-fA-F]{32}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"

BASEMODEL_ATTRS = frozenset(
    {
        "json",
        "schema",
        "fields",
        "copy",
        "dict",
        "construct",
        "validate",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "update_forward_refs",
        "schema_json",
        # names used inside generated annotations must not be shadowed by a field
        "list",
        "str",
        "int",
        "float",
        "bool",
        "Any",
        "Literal",
        "Annotated",
        "Field",
    }
)


# ---------------------------------------------------------------------------------------------
# Reading the source
# ---------------------------------------------------------------------------------------------


@dataclass
class Spec:
    """One in-scope entry of endpoints.json with the names we give it."""

    raw: dict[str, Any]
    area: str
    name: str
    task: str
    request_class: str
    response_class: str
    item_class: str | None = None
    legacy: bool = False
    writes: bool = False
    outbound: bool = False
    response_empty: bool = False
    params: list[dict[str, Any]] = field(default_factory=list)
    """The request fields as keyword parameters: python name, annotation, nullable."""

    @property
    def path(self) -> str:
        return self.raw["path"]

    @property
    def method(self) -> str:
        return self.raw["method"]


def load_source(source: Path) -> list[dict[str, Any]]:
    """The in-scope entries of endpoints.json, in file order."""
    entries = json.loads(source.read_text(encoding="utf-8"))
    return [
        e
        for e in entries
        if e["section"] in IN_SCOPE_SECTIONS
        and not (
            e["section"] in PUBLIC_SPEC_ONLY_SECTIONS and "public spec" not in e["availability"]
        )
    ]


def camel(text: str) -> str:
    parts = re.split(r"[^0-9A-Za-z]+", text)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def area_of(path: str) -> tuple[str, list[str]]:
    for prefix in sorted(AREA_PREFIXES, key=len, reverse=True):
        if path == prefix or path.startswith(prefix + "/"):
            rest = [s.replace("-", "_") for s in path[len(prefix) :].strip("/").split("/") if s]
            return AREA_PREFIXES[prefix], rest
    raise SystemExit(f"no area rule for path {path!r}; add one to AREA_PREFIXES")


def method_and_task(path: str, area: str, rest: list[str]) -> tuple[str, str]:
    singular, plural = AREA_NOUNS[area]
    override = NAME_OVERRIDES.get(path)
    if not rest and override is None:
        raise SystemExit(f"cannot name {path!r}; add it to NAME_OVERRIDES")
    if len(rest) == 1:
        method = rest[0]
    elif rest:
        verb, noun = rest[-1], "_".join(rest[:-1])
        method = f"{verb}_{noun}s" if verb == "list" else f"{verb}_{noun}"
    verb = method.split("_")[0] if rest else ""
    if verb == "info":
        task = f"get_{singular}"
    elif verb in PLURAL_VERBS:
        task = f"{verb}_{plural}"
    else:
        task = f"{verb}_{singular}" if rest else ""
    if override is not None:
        method = override[0]
        task = override[1] or task
    return method, task


def is_write(path: str, method_name: str) -> bool:
    verb = method_name.split("_")[0]
    if path.startswith("/event/push"):
        return True
    if path in READ_PATHS:
        return False
    return verb not in READ_VERBS


def build_specs(entries: list[dict[str, Any]]) -> list[Spec]:
    specs: list[Spec] = []
    for raw in entries:
        legacy = raw["availability"].startswith("legacy")
        if raw.get("direction", "").startswith("outbound"):
            name, req, resp = OUTBOUND_NAMES[raw["path"]]
            specs.append(Spec(raw, "webhooks", name, "", req, resp, legacy=legacy, outbound=True))
            continue
        area, rest = area_of(raw["path"])
        name, task = method_and_task(raw["path"], area, rest)
        base = camel(raw["path"])
        specs.append(
            Spec(
                raw,
                area,
                name,
                task,
                f"{base}Request",
                f"{base}Response",
                legacy=legacy,
                writes=is_write(raw["path"], name),
            )
        )
    check_unique(specs)
    return specs


def check_unique(specs: list[Spec]) -> None:
    seen_tasks: dict[str, str] = {}
    seen_methods: dict[tuple[str, str], str] = {}
    for spec in specs:
        if spec.outbound:
            continue
        if spec.task in seen_tasks:
            raise SystemExit(f"task {spec.task} for {spec.path} and {seen_tasks[spec.task]}")
        seen_tasks[spec.task] = spec.path
        key = (spec.area, spec.name)
        if key in seen_methods:
            raise SystemExit(f"method {key} for {spec.path} and {seen_methods[key]}")
        seen_methods[key] = spec.path
        if not spec.name.isidentifier() or keyword.iskeyword(spec.name):
            raise SystemExit(f"bad method name {spec.name!r} for {spec.path}")


# ---------------------------------------------------------------------------------------------
# Notes -> constraints
# ---------------------------------------------------------------------------------------------


@dataclass
class Rules:
    """Validation facts parsed from one field's ``notes``."""

    enum: list[str] | None = None
    comma_separated: bool = False
    ge: str | None = None
    le: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    pattern: str | None = None
    nullable: bool = False
    optional_anyway: bool = False
    span_days: int | None = None
    ge_or_zero: str | None = None
    """A lower bound that 0 ("not set") is exempt from."""
    unix_seconds: bool = False
    """The source says "unix seconds": milliseconds are refused."""


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def parse_notes(notes: str | None, type_text: str) -> Rules:
    rules = Rules()
    if not notes:
        return rules
    for raw_part in notes.split(";"):
        part = raw_part.strip()
        if m := re.match(r"one of: ([^ ]+)", part):
            values = [v for v in m.group(1).split("|") if v]
            rules.enum = values
        elif m := re.fullmatch(r"range \[(-?[\d.]*),(-?[\d.]*)\]", part):
            rules.ge = m.group(1) or None
            rules.le = m.group(2) or None
        elif m := re.fullmatch(r"len (\d*)\.\.(\d+)", part):
            rules.min_length = int(m.group(1)) if m.group(1) else None
            rules.max_length = int(m.group(2))
        elif m := re.fullmatch(r"max ([\d,]+) (?:characters|chars)", part):
            rules.max_length = _int(m.group(1))
        elif m := re.fullmatch(r"items (\d*)\.\.(\d+)", part):
            rules.min_items = int(m.group(1)) if m.group(1) else None
            rules.max_items = int(m.group(2))
        elif m := re.fullmatch(r"max (\d+) entries", part):
            rules.max_items = int(m.group(1))
        elif m := re.fullmatch(r"pattern (\S+)", part):
            rules.pattern = m.group(1)
        elif part.startswith("24-hex ObjectID"):
            rules.pattern = HEX24
        elif part.startswith("32-hex"):
            rules.pattern = HEX32
        elif part == "date string YYYY-MM-DD":
            rules.pattern = DATE_PATTERN
        elif part == "clock time HH:MM" and "string" in type_text:
            rules.pattern = CLOCK_PATTERN
        elif part == "format email":
            rules.pattern = EMAIL_PATTERN
        elif part == "comma-separated string":
            rules.comma_separated = True
        elif part == "nullable":
            rules.nullable = True
        elif part == "unix seconds":
            rules.unix_seconds = True
        elif part in ("conditionally required", "only in some oneOf variants"):
            rules.optional_anyway = True
        elif m := re.fullmatch(r"time span limit (\d+) days", part):
            rules.span_days = int(m.group(1))
    if rules.enum and rules.comma_separated:
        alternatives = "|".join(re.escape(v) for v in rules.enum)
        rules.pattern = rf"^({alternatives})(,({alternatives}))*$"
        rules.enum = None
    return rules


# ---------------------------------------------------------------------------------------------
# Model source writer
# ---------------------------------------------------------------------------------------------


# Request fields become keyword parameters of the client methods and tasks, next to these.
CALL_OPTION_NAMES = frozenset(
    {
        "self",
        "body",
        "extra_body",
        "timeout",
        "credentials",
        "integration",
        "fields",
        "unknown_fields",
    }
)


def python_field_name(key: str, reserved: frozenset[str] = frozenset()) -> str:
    name = re.sub(r"\W", "_", key).strip("_") or "value"
    if name[0].isdigit():
        name = f"f_{name}"
    if (
        keyword.iskeyword(name)
        or name in BASEMODEL_ATTRS
        or name in reserved
        or name.startswith("model_")
    ):
        name = f"{name}_"
    return name


SHARED_MODULE = "entities"
"""The model module for shapes that more than one area uses."""

TOKEN = re.compile(r"«(\d+)»")
"""A class reference before names are assigned: classes are named once every shape is known."""

NAME_SLOT = "«NAME»"
DOC_SLOT = "«DOC»"


@dataclass(frozen=True)
class ModelUse:
    """One place the generator asks for a class: the name it proposes and what it serves."""

    name: str
    area: str
    lead: str
    """Docstring lead, e.g. ``Request body of``; a nested part's whole sentence."""
    subject: str = ""
    """What the lead speaks of (``POST /incident/list``); empty for nested parts."""
    alternate: str = ""
    """A longer name (stem + name) for when another shape holds ``name``."""
    top: bool = False
    spec_named: bool = False
    """Whether ``name`` is the spec's own name for the object (``object(FilterCondition)``)."""


@dataclass
class Shape:
    """One structurally distinct model: its source with name and docstring left open."""

    token: str
    template: str
    fields: list[str]
    uses: list[ModelUse] = field(default_factory=list)
    name: str = ""

    @property
    def areas(self) -> list[str]:
        return list(dict.fromkeys(use.area for use in self.uses))

    @property
    def module(self) -> str:
        areas = self.areas
        return areas[0] if len(areas) == 1 else SHARED_MODULE

    @property
    def proposed(self) -> list[str]:
        return list(dict.fromkeys(use.name for use in self.uses))

    @property
    def top(self) -> bool:
        return any(use.top for use in self.uses)

    @property
    def request(self) -> bool:
        return "model_config = _REQUEST" in self.template

    @property
    def root_list(self) -> bool:
        return "(RootModel[" in self.template

    def docstring(self) -> str:
        """Our sentence(s) on what the class serves, listing a few endpoints when shared."""
        subjects: dict[str, list[str]] = {}
        for use in self.uses:
            listed = subjects.setdefault(use.lead, [])
            if use.subject and use.subject not in listed:
                listed.append(use.subject)
        sentences = []
        for lead, listed in subjects.items():
            if not listed:
                sentences.append(lead)
            elif len(listed) <= 3:
                sentences.append(f"{lead} {', '.join(listed)}.")
            else:
                shown = ", ".join(listed[:2])
                sentences.append(f"{lead} {len(listed)} endpoints ({shown}, ...).")
        return " ".join(sentences)

    def candidates(self) -> list[str]:
        """Names to try, best first.

        A class asked for under one name keeps it; a shared one takes the spec's own name
        used most often, else (top-level) a name from what its endpoints have in common, else
        the shortest name asked for. A spec name another shape holds gets ``Input`` (request
        side) or ``Output`` (answer side); after that the asking class's stem goes in front.
        """
        proposed = self.proposed
        counts = Counter(use.name for use in self.uses if use.spec_named)
        spec_names = sorted(counts, key=lambda name: (-counts[name], len(name), name))
        ranked = sorted(proposed, key=lambda name: (len(name), name))
        derived = shared_names(self) if self.top and len(proposed) > 1 else []
        side = "Input" if self.request else "Output"
        variants = [f"{spec_names[0]}{side}"] if spec_names else []
        shared = [*spec_names[:1], *variants, *spec_names, *derived, *ranked]
        first = shared if len(proposed) > 1 else [*proposed, *variants]
        alternates = [use.alternate for use in self.uses if use.alternate]
        return list(dict.fromkeys([*first, *alternates]))


def shared_names(shape: Shape) -> list[str]:
    """Names for one class that several endpoints share, from what they have in common."""
    suffix = "Request" if shape.request else "Response"
    if not shape.fields and not shape.root_list:
        return [f"Empty{suffix}"]
    stems = [re.findall(r"[A-Z][a-z0-9]*", name.removesuffix(suffix)) for name in shape.proposed]
    common: list[str] = []
    for words in zip(*stems, strict=False):
        if len(set(words)) != 1:
            break
        common.append(words[0])
    if not common:  # e.g. the same card-view request of incidents and alerts
        for words in zip(*(reversed(s) for s in stems), strict=False):
            if len(set(words)) != 1:
                break
            common.insert(0, words[0])
    names = []
    naming = all(key.endswith(("_id", "_ids", "_name")) for key in shape.fields)
    if naming and 0 < len(shape.fields) <= 2:  # ids and names say what it is about
        names.append("".join(camel(key) for key in shape.fields) + suffix)
    if common:
        names.append("".join(common) + suffix)
    return names


class ModelRegistry:
    """Every model class of every area, one per structurally distinct shape.

    A shape is the class source without its name and docstring (fields, types, defaults,
    constraints, config and the shapes it nests), so equal shapes asked for under different
    names, in one area or several, become one class. A shape used by one area lives in that
    area's module; a shape used by several lives in :data:`SHARED_MODULE`, which the area
    modules import (and so re-export) it from.
    """

    def __init__(self) -> None:
        self.shapes: dict[str, Shape] = {}  # template -> shape, in dependency order
        self.by_token: dict[str, Shape] = {}

    def add(self, template: str, use: ModelUse, fields: Iterable[str] = ()) -> str:
        """Record one use of the shape ``template`` and return its token."""
        shape = self.shapes.get(template)
        if shape is None:
            shape = Shape(f"«{len(self.shapes)}»", template, list(fields))
            self.shapes[template] = shape
            self.by_token[shape.token] = shape
        shape.uses.append(use)
        return shape.token

    def assign_names(self) -> None:
        """Give every shape a name no other shape has.

        Classes asked for under one name claim first (top-level request and answer names are
        public), then shared shapes, the most used first; a name already held falls back to
        the longer alternate, then to a number.
        """
        taken: set[str] = set()

        def priority(item: tuple[int, Shape]) -> tuple[int, int, int, int, int]:
            index, shape = item
            single = len(shape.proposed) == 1
            return (
                0 if single and shape.top else 1,
                -len(shape.areas),
                -len(shape.uses),
                0 if shape.request else 1,
                index,
            )

        for _, shape in sorted(enumerate(self.shapes.values()), key=priority):
            candidates = shape.candidates()
            name = next((c for c in candidates if c not in taken), None)
            counter = 2
            while name is None:
                numbered = f"{candidates[0]}{counter}"
                name = numbered if numbered not in taken else None
                counter += 1
            shape.name = name
            taken.add(name)

    def resolve(self, text: str) -> str:
        """``text`` with every class token replaced by the class's name."""
        return TOKEN.sub(lambda m: self.by_token[m.group(0)].name, text)

    def source(self, shape: Shape) -> str:
        text = shape.template.replace(NAME_SLOT, shape.name).replace(DOC_SLOT, shape.docstring())
        return self.resolve(text)

    def render_modules(
        self, areas: Iterable[str], constants: dict[str, list[str]]
    ) -> dict[str, str]:
        """Module source per area, plus the shared module when any shape is shared."""
        members: dict[str, list[Shape]] = {area: [] for area in areas}
        for shape in self.shapes.values():
            members.setdefault(shape.module, []).append(shape)
        out = {}
        for module, shapes in members.items():
            shared = (
                []
                if module == SHARED_MODULE
                else sorted(
                    s.name
                    for s in self.shapes.values()
                    if s.module == SHARED_MODULE and module in s.areas
                )
            )
            docstring = (
                "Models more than one area uses: recurring entities (filter conditions, alert "
                "images, responders, ...) and request/answer shapes several endpoints share."
                if module == SHARED_MODULE
                else f"Request and response models of the {area_title(module)} area."
            )
            out[module] = render_model_module(
                docstring,
                [self.source(s).rstrip() for s in shapes],
                constants.get(module, []),
                shared,
            )
        return out


def render_model_module(
    docstring: str, classes: list[str], constants: list[str], shared: list[str]
) -> str:
    text = "\n".join(classes)
    typing_names = [
        n
        for n in ("Annotated", "Any", "ClassVar", "Literal")
        if f"{n}[" in text or f"{n}]" in text or f" {n}" in text
    ]
    pydantic_names = ["BaseModel", "ConfigDict"] if classes else []
    pydantic_names += [n for n in ("Field", "RootModel") if f"{n}(" in text or f"{n}[" in text]
    return render(
        "model_module.py.j2",
        docstring=docstring,
        constraint_names=[n for n in CONSTRAINT_NAMES if re.search(rf"\b{n}\b", text)],
        typing_names=typing_names,
        pydantic_names=sorted(pydantic_names),
        classes=classes,
        constants=constants,
        shared_module=SHARED_MODULE,
        shared=shared,
    )


class ModelBuilder:
    """Turns a request/response field map into pydantic class source."""

    def __init__(
        self,
        registry: ModelRegistry,
        *,
        area: str,
        request: bool,
        stem: str,
        part_doc: str | None = None,
    ) -> None:
        self.registry = registry
        self.area = area
        self.request = request
        self.part_doc = part_doc or ("Part of a request body." if request else "Part of an answer.")
        self.stem = stem  # e.g. "IncidentList": prefix for nested names that clash
        self.top_keys: frozenset[str] = frozenset()  # fields of the request body itself

    def assigned_by_server(self, key: str, *, nested: bool) -> bool:
        """Whether a request may leave ``key`` out because the server fills it in.

        Bookkeeping fields (``account_id``, ``create_at``, ...) never need sending; inside a
        nested object (often the answer's schema reused for the request) neither does the id
        of the object the request itself names (``layers[].schedule_id`` in a schedule create).
        """
        return key in SERVER_ASSIGNED_FIELDS or (nested and key in self.top_keys)

    # Types ----------------------------------------------------------------------------------

    def annotation(self, spec: dict[str, Any], owner: str, key: str, rules: Rules) -> str:
        """Python type annotation for one field (constraints applied in requests only)."""
        type_text = (spec.get("type") or "any").strip()
        return self._type(type_text, spec, owner, key, rules, top=True)

    def _type(
        self,
        type_text: str,
        spec: dict[str, Any],
        owner: str,
        key: str,
        rules: Rules,
        *,
        top: bool,
        loose: str | None = None,
    ) -> str:
        """The field's model annotation; with ``loose`` (the area module's qualifier, such as
        ``"_incidents."``) the parameter annotation instead: abstract collections, nested
        models also as mappings, no constraints but enums."""
        check = self.request and loose is None
        if type_text.startswith("array<") and type_text.endswith(">"):
            inner_text = type_text[len("array<") : -1]
            inner_spec = {"item_fields": spec.get("item_fields")} if top else spec
            inner = self._type(inner_text, inner_spec, owner, key, rules, top=False, loose=loose)
            if loose is not None:
                return f"Sequence[{inner}]"
            list_type = f"list[{inner}]"
            if check and top and (rules.min_items is not None or rules.max_items is not None):
                args = []
                if rules.min_items is not None:
                    args.append(f"min_length={rules.min_items}")
                if rules.max_items is not None:
                    args.append(f"max_length={rules.max_items}")
                list_type = f"Annotated[{list_type}, Field({', '.join(args)})]"
            return list_type
        if type_text.startswith("map<"):
            inner_text = type_text[len("map<") : -1]
            value_text = inner_text.split(",", 1)[1] if "," in inner_text else "any"
            value = self._scalar(value_text, rules, apply=False)
            if loose is not None:
                return f"Mapping[str, {value}]"
            map_type = f"dict[str, {value}]"
            if check and top and rules.max_items is not None:
                map_type = f"Annotated[{map_type}, Field(max_length={rules.max_items})]"
            return map_type
        if type_text.startswith("object") or type_text.startswith("oneOf<object"):
            nested = spec.get("fields") or spec.get("item_fields")
            mapping = "dict" if loose is None else "Mapping"
            if not nested:
                return f"{mapping}[str, Any]"
            keys = list(nested)
            if len(keys) == 1 and keys[0].startswith("$"):
                value_spec = nested[keys[0]]
                value = self._type(
                    value_spec.get("type", "any"),
                    value_spec,
                    owner,
                    key,
                    Rules(),
                    top=False,
                    loose=loose,
                )
                return f"{mapping}[str, {value}]"
            m = re.match(r"object\((\w+)\)", type_text)
            class_name = m.group(1) if m else owner + camel(key)
            built = self.build_class(class_name, nested, nested_from=owner, spec_named=bool(m))
            return built if loose is None else f"{loose}{built} | Mapping[str, Any]"
        if loose is not None:
            return self._scalar(type_text, rules, apply=bool(rules.enum) and self.request)
        return self._scalar(type_text, rules, apply=check)

    def _scalar(self, type_text: str, rules: Rules, *, apply: bool) -> str:
        type_text = type_text.strip()
        if type_text.startswith("oneOf<"):
            variants = {v.strip() for v in type_text[len("oneOf<") : -1].split(",")}
            type_text = variants.pop() if len(variants) == 1 else "any"
        base = {
            "string": "str",
            "integer": "int",
            "integer(int64)": "int",
            "integer(int32)": "int",
            "number": "float",
            "boolean": "bool",
            "bool": "bool",
        }.get(type_text)
        if base is None:
            return "Any"
        if not apply:
            return base
        if rules.enum:
            if base == "int":
                try:
                    values = ", ".join(str(int(v)) for v in rules.enum)
                except ValueError:
                    values = ", ".join(repr(v) for v in rules.enum)
            else:
                values = ", ".join(repr(re.sub(r"\s*\(.*$", "", v)) for v in rules.enum)
            return f"Literal[{values}]"
        args: list[str] = []
        if base in ("int", "float"):
            if rules.ge is not None:
                args.append(f"ge={rules.ge}")
            if rules.le is not None:
                args.append(f"le={rules.le}")
            checks = [f"Field({', '.join(args)})"] if args else []
            checks += number_checks(rules)
            return f"Annotated[{base}, {', '.join(checks)}]"
        if base == "str":
            if rules.min_length is not None:
                args.append(f"min_length={rules.min_length}")
            if rules.max_length is not None:
                args.append(f"max_length={rules.max_length}")
            if rules.pattern is not None:
                args.append(f"pattern={rules.pattern!r}")
        if not args:
            return base
        return f"Annotated[{base}, Field({', '.join(args)})]"

    # Classes --------------------------------------------------------------------------------

    def build_class(
        self,
        class_name: str,
        fields_map: dict[str, Any],
        *,
        nested_from: str | None = None,
        use: ModelUse | None = None,
        spec_named: bool = False,
        params: list[dict[str, Any]] | None = None,
        qualifier: str = "",
    ) -> str:
        """Register the class and return its token (see :class:`ModelRegistry`); ``use`` says
        what a top-level class serves. With ``params`` given (a request body), also list each
        field as a keyword parameter (name and annotation)."""
        config = "_REQUEST" if self.request else "_RESPONSE"
        reserved = CALL_OPTION_NAMES if self.request and nested_from is None else frozenset()
        fields: list[dict[str, str]] = []
        used: set[str] = set()
        kind_table = fields_map.get(KIND_TABLE_KEY) if self.request else None
        for key, spec in fields_map.items():
            if not isinstance(spec, dict) or key == KIND_TABLE_KEY:
                continue
            rules = parse_notes(spec.get("notes"), spec.get("type") or "")
            name = python_field_name(key, reserved)
            while name in used:
                name += "_"
            used.add(name)
            required = (
                self.request
                and bool(spec.get("required"))
                and not rules.optional_anyway
                and not self.assigned_by_server(key, nested=nested_from is not None)
            )
            type_text = (spec.get("type") or "").strip()
            if self.request and not required:
                rules = accept_not_set(key, type_text, rules)
            annotation = self.annotation(spec, class_name, key, rules)
            if rules.nullable and required:
                annotation = f"{annotation} | None"
            elif required and nested_from is not None and type_text.startswith(COLLECTIONS):
                annotation = f"{annotation} | None"  # JSON null decodes to an empty value
            if params is not None:
                loose = self._type(
                    type_text or "any", spec, class_name, key, rules, top=True, loose=qualifier
                )
                nullable = not required or "| None" in annotation
                params.append({"name": name, "annotation": loose, "nullable": nullable})
            alias = f", alias={key!r}" if name != key else ""
            if required:
                default = f" = Field(...{alias})" if alias else ""
            else:
                default = f" = Field(None{alias})" if alias else " = None"
                annotation = f"{annotation} | None"
            fields.append({"name": name, "annotation": annotation, "default": default})
        span = span_check(fields_map) if self.request and nested_from is None else None
        source = render(
            "model_class.py.j2",
            name=NAME_SLOT,
            docstring=DOC_SLOT,
            config=config,
            fields=fields,
            validators=[span] if span else [],
            settings_by_kind={k: tuple(v) for k, v in kind_table.items()} if kind_table else None,
        )
        if use is None:
            use = ModelUse(
                class_name,
                self.area,
                self.part_doc,
                alternate=self.stem + class_name,
                spec_named=spec_named,
            )
        keys = [key for key, spec in fields_map.items() if isinstance(spec, dict)]
        return self.registry.add(source, use, keys)


COLLECTIONS = ("array<", "map<", "object")

CONSTRAINT_NAMES = (
    "at_least_or_zero",
    "not_bool",
    "settings_match_kind",
    "time_span_at_most",
    "unix_seconds",
)
"""Rules of ``flashcat_prefect.api.constraints`` that generated request models use."""
TIME_PAIRS = (("start_time", "end_time"), ("start", "end"))
"""Request fields that open and close a time range, as the source names them."""


def number_checks(rules: Rules) -> list[str]:
    """The constraints of a number field of a request: never True/False, and the lower bound
    that exempts 0 or the unix-seconds check where the source states them."""
    checks = ["not_bool"]
    if rules.ge_or_zero is not None:
        checks.append(f"at_least_or_zero({rules.ge_or_zero})")
    if rules.unix_seconds:
        checks.append("unix_seconds")
    return checks


def span_check(fields_map: dict[str, Any]) -> str | None:
    """The class attribute that checks a request's time range, when the source limits it."""
    days = span_days(fields_map)
    keys = list(fields_map)
    for start, end in TIME_PAIRS:
        if days and start in keys and end in keys:
            if keys.index(start) > keys.index(end):
                raise ValueError(f"{end} comes before {start}: the span check reads {start} first")
            return f"check_time_span: ClassVar[Any] = time_span_at_most({days}, {start!r}, {end!r})"
    return None


def accept_not_set(key: str, type_text: str, rules: Rules) -> Rules:
    """Rules of an optional request id loosened to let its "not set" value through.

    The server reads ``""`` for a string id and ``0`` for an integer id as "no id given", so an
    optional ``*_id`` with a pattern or a lower bound above zero still accepts them (and sends
    them as given). Other bounds the spec states (``limit``, ``p``) stay as they are.
    """
    if rules.enum or not key.endswith("_id"):
        return rules
    if type_text == "string" and rules.pattern:
        pattern = "^(?:" + rules.pattern.removeprefix("^").removesuffix("$") + ")?$"
        return dataclasses.replace(rules, pattern=pattern)
    if type_text.startswith("integer") and rules.ge and float(rules.ge) > 0:
        return dataclasses.replace(rules, ge=None, ge_or_zero=rules.ge)
    return rules


def build_root_list(registry: ModelRegistry, item_type: str, use: ModelUse) -> str:
    source = render("root_list.py.j2", name=NAME_SLOT, item_type=item_type, docstring=DOC_SLOT)
    return registry.add(source, use)


# ---------------------------------------------------------------------------------------------
# Catalog facts per entry
# ---------------------------------------------------------------------------------------------


def rate_limit_expr(raw: dict[str, Any]) -> str:
    text = raw.get("rate_limit") or ""
    if raw["path"].startswith("/event/push"):
        return "EVENT_RATE_LIMIT"
    m_min = re.search(r"(\d+)/min", text)
    m_sec = re.search(r"(\d+)/s", text)
    if not (m_min and m_sec):
        return "DEFAULT_RATE_LIMIT"
    per_minute, per_second = int(m_min.group(1)), int(m_sec.group(1))
    if (per_second, per_minute) == (50, 1000):
        return "DEFAULT_RATE_LIMIT"
    if (per_second, per_minute) == (1, 10):
        return "EXPORT_RATE_LIMIT"
    return f"RateLimit(per_second={per_second}, per_minute={per_minute})"


def response_format(raw: dict[str, Any], outbound: bool) -> str:
    if outbound:
        return "outbound"
    fmt = raw.get("response_format") or ""
    if "CSV" in fmt or (isinstance(raw["response_data"], str) and "CSV" in raw["response_data"]):
        return "csv"
    return "json"


def auth_of(raw: dict[str, Any], outbound: bool) -> str:
    if outbound:
        return "none"
    if raw["auth"].startswith("integration_key"):
        return "integration_key"
    return "app_key"


def page_limit_max(raw: dict[str, Any]) -> int:
    limit = raw["request"].get("limit") if isinstance(raw["request"], dict) else None
    if isinstance(limit, dict):
        rules = parse_notes(limit.get("notes"), limit.get("type") or "")
        if rules.le:
            return int(rules.le)
    return 100


def span_days(request: dict[str, Any]) -> int | None:
    """The "time span limit" of a request's time fields, in days."""
    for spec in request.values():
        if not isinstance(spec, dict):
            continue
        notes = spec.get("notes") or ""
        if "integer" not in (spec.get("type") or ""):
            continue
        rules = parse_notes(notes, spec.get("type") or "")
        if rules.span_days and "minutes" not in notes:
            return rules.span_days
    return None


def max_span_seconds(raw: dict[str, Any]) -> int | None:
    days = span_days(raw["request"])
    return days * 86400 if days else None


def query_params(raw: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        k
        for k, v in raw["request"].items()
        if isinstance(v, dict) and v.get("in") == "query" and k not in SECRET_QUERY_FIELDS
    )


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------


def effective_request(raw: dict[str, Any]) -> dict[str, Any]:
    """The request field map with secrets dropped, overrides applied and id shapes added."""
    source = raw["request"] if isinstance(raw["request"], dict) else {}
    fields_map = {k: v for k, v in source.items() if k not in SECRET_QUERY_FIELDS}
    for key, field_spec in ARCHIVED_REQUEST_FIELDS.get(raw["path"], {}).items():
        fields_map.setdefault(key, field_spec)
    for key, stated in STATED_RULES.get(raw["path"], {}).items():
        if key in fields_map:
            fields_map[key] = with_stated_rules(fields_map[key], stated)
    fields_map.update(FIELD_OVERRIDES.get(raw["path"], {}))
    if raw["path"] in SETTINGS_BY_KIND:
        rules = fields_map["rules"]
        item_fields = {**rules["item_fields"], KIND_TABLE_KEY: SETTINGS_BY_KIND[raw["path"]]}
        fields_map["rules"] = {**rules, "item_fields": item_fields}
    if raw["path"] in PATCH_PATHS:  # what the request leaves out stays as it is
        for key, field_spec in fields_map.items():
            if not key.endswith(("_id", "_ids")) and key not in CONCURRENCY_FIELDS:
                fields_map[key] = {**field_spec, "required": False}
    for key in [k for k in fields_map if OBJECT_ID_FIELDS.match(k)]:
        spec = fields_map[key]
        notes = spec.get("notes") or ""
        if spec.get("type") in ("string", "array<string>") and "hex" not in notes:
            fields_map[key] = {**spec, "notes": "; ".join(filter(None, [notes, "24-hex ObjectID"]))}
    return fields_map


def _schema(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _properties(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    """The top-level JSON body properties of an OpenAPI operation."""
    for content in operation.get("requestBody", {}).get("content", {}).values():
        schema = _schema(spec, content.get("schema", {}))
        found = dict(schema.get("properties", {}))
        for part in schema.get("allOf", []):
            found.update(_schema(spec, part).get("properties", {}))
        return found
    return {}


def _field_type(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    """An OpenAPI schema as an endpoints.json type text (objects kept as free-form maps)."""
    schema = _schema(spec, schema)
    kind = schema.get("type")
    if kind == "array":
        return f"array<{_field_type(spec, schema.get('items', {}))}>"
    if kind == "object":
        return "map<string,any>"
    return kind if kind in ("string", "integer", "number", "boolean") else "any"


def load_archived_request_fields(spec_dir: Path) -> dict[str, dict[str, Any]]:
    """Path -> request fields the archived spec documents and the current one no longer lists.

    The server kept accepting what it once documented (Flashcat's own older clients still
    send ``title`` and ``labels`` to ``/incident/list``), so these stay accepted, optional and
    sent as given.
    """
    current = json.loads((spec_dir / "flashduty-docs.openapi.en.json").read_text("utf-8"))
    archived = json.loads((spec_dir / "flashduty-docs.openapi.legacy.zh.json").read_text("utf-8"))
    extra: dict[str, dict[str, Any]] = {}
    for path, operations in current["paths"].items():
        for method, operation in operations.items():
            old = archived["paths"].get(path, {}).get(method)
            if old is None:
                continue
            known = _properties(current, operation)
            for key, schema in _properties(archived, old).items():
                if key not in known:
                    extra.setdefault(path, {})[key] = {
                        "type": _field_type(archived, schema),
                        "required": False,
                    }
    return extra


def _stated_rules(spec: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Enum and range rules an OpenAPI property states (for an array: its items'), as notes."""
    schema = _schema(spec, schema)
    if schema.get("type") == "array":
        schema = _schema(spec, schema.get("items", {}))
    notes = []
    values = [str(v) for v in schema.get("enum") or []]
    if values and any(PLACEHOLDER.search(v) for v in values):
        notes.append(f"pattern {enum_with_placeholders(values)}")
    elif values and schema.get("type") in ("string", "integer"):
        notes.append("one of: " + "|".join(values))
    low = schema.get("minimum")
    if "exclusiveMinimum" in schema and schema.get("type") == "integer":
        low = schema["exclusiveMinimum"] + 1
    high = schema.get("maximum")
    if low is not None or high is not None:
        notes.append(f"range [{'' if low is None else low},{'' if high is None else high}]")
    return notes


PLACEHOLDER = re.compile(r"\{\w+\}")
"""A ``{name}`` in an enum value stands for any text (``labels.{x}``: any label key)."""


def enum_with_placeholders(values: list[str]) -> str:
    """A regular expression matching ``values``, each ``{name}`` in them matching any text."""
    choices = [
        PLACEHOLDER.sub(".+", re.escape(v).replace("\\{", "{").replace("\\}", "}")) for v in values
    ]
    return f"^({'|'.join(choices)})$"


def load_stated_rules(spec_dir: Path) -> dict[str, dict[str, list[str]]]:
    """Path -> field -> enum/range notes an OpenAPI file states on top-level request fields.

    endpoints.json drops rules stated on array items (insight ``severities``, calendar
    ``workdays``) and exclusive bounds (``minutes > 0`` on snooze); they are taken from the
    current OpenAPI file, or from the archived one for operations the current file lacks (the
    emulator judges those by the archived file too), so the request models enforce them.
    """
    rules: dict[str, dict[str, list[str]]] = {}
    described: set[str] = set()
    for name in ("flashduty-docs.openapi.en.json", "flashduty-docs.openapi.legacy.zh.json"):
        spec = json.loads((spec_dir / name).read_text("utf-8"))
        for path, operations in spec["paths"].items():
            if path in described:
                continue
            described.add(path)
            for operation in operations.values():
                for key, schema in _properties(spec, operation).items():
                    if stated := _stated_rules(spec, schema):
                        rules.setdefault(path, {})[key] = stated
    return rules


def with_stated_rules(field_spec: dict[str, Any], stated: list[str]) -> dict[str, Any]:
    """The field spec with the spec's enum/range notes added; two ranges meet (tighter wins)."""
    parts = [p.strip() for p in (field_spec.get("notes") or "").split(";") if p.strip()]
    for rule in stated:
        kind = rule.split(" ")[0]
        mine = next((p for p in parts if p.startswith(kind + " ")), None)
        if mine is None:
            parts.append(rule)
        elif kind == "range":
            parts[parts.index(mine)] = _tighter_range(mine, rule)
    return {**field_spec, "notes": "; ".join(parts)} if parts else field_spec


def _tighter_range(first: str, second: str) -> str:
    def bounds(text: str) -> tuple[str, str]:
        low, high = text[len("range [") : -1].split(",")
        return low, high

    (low1, high1), (low2, high2) = bounds(first), bounds(second)
    lows = [float(v) for v in (low1, low2) if v]
    highs = [float(v) for v in (high1, high2) if v]
    low = max(lows, default=None)
    high = min(highs, default=None)

    def text(value: float | None) -> str:
        return "" if value is None else (str(int(value)) if value == int(value) else str(value))

    return f"range [{text(low)},{text(high)}]"


ARCHIVED_REQUEST_FIELDS: dict[str, dict[str, Any]] = {}
STATED_RULES: dict[str, dict[str, list[str]]] = {}


def area_title(area: str) -> str:
    return area.replace("_", " ")


TOP_LEVEL_LEADS = {
    ("Request", False): "Request body of",
    ("Response", False): "The ``data`` of the answer to",
    ("Request", True): "Payload Flashduty sends for:",
    ("Response", True): "Reply the receiver sends back for:",
}


def top_level_use(spec: Spec, side: str) -> ModelUse:
    """What the request (``side="Request"``) or answer class of one entry serves."""
    name = spec.request_class if side == "Request" else spec.response_class
    lead = TOP_LEVEL_LEADS[side, spec.outbound]
    if spec.outbound:
        return ModelUse(name, spec.area, lead, spec.raw["name"].lower(), top=True)
    subject = f"{spec.method} {spec.path}"
    return ModelUse(name, spec.area, lead, subject, alternate=camel(spec.task) + side, top=True)


def generate_models(specs: list[Spec]) -> dict[str, str]:
    """Model module source per area (and the shared module); names the specs' classes."""
    registry = ModelRegistry()
    constants: dict[str, list[str]] = {}
    for spec in specs:
        raw = spec.raw
        stem = (
            camel(raw["path"]) if not spec.outbound else spec.request_class.removesuffix("Payload")
        )
        # Payloads Flashduty sends us are parsed leniently, like answers.
        req_builder = ModelBuilder(
            registry,
            area=spec.area,
            request=not spec.outbound,
            stem=stem,
            part_doc="Part of a payload Flashduty sends." if spec.outbound else None,
        )
        req_map = effective_request(raw)
        event_type = req_map.get("event_type") if spec.outbound else None
        if event_type and (enum := parse_notes(event_type.get("notes"), "string").enum):
            constant = re.sub(r"(?<!^)(?=[A-Z])", "_", camel(spec.name)).upper() + "_EVENT_TYPES"
            constants.setdefault(spec.area, []).extend(
                [
                    f"{constant}: frozenset[str] = frozenset({sorted(enum)!r})",
                    f'"""Documented ``event_type`` values of the {raw["name"].lower()}."""',
                ]
            )
        req_builder.top_keys = frozenset(req_map)
        spec.request_class = req_builder.build_class(
            spec.request_class,
            req_map,
            use=top_level_use(spec, "Request"),
            params=None if spec.outbound else spec.params,
            qualifier=f"_{spec.area}.",
        )
        resp_builder = ModelBuilder(registry, area=spec.area, request=False, stem=stem)
        response_name = spec.response_class
        data = raw["response_data"]
        response_use = top_level_use(spec, "Response")
        if isinstance(data, dict) and list(data) == ["[]"]:
            only = data["[]"]
            inner = resp_builder._type(
                only["type"][len("array<") : -1],
                {"item_fields": only.get("item_fields")},
                spec.response_class,
                "item",
                Rules(),
                top=False,
            )
            spec.item_class = inner if TOKEN.fullmatch(inner) else None
            spec.response_class = build_root_list(registry, inner, response_use)
        else:
            resp_map = data if isinstance(data, dict) else {}
            spec.response_empty = not resp_map
            spec.response_class = resp_builder.build_class(
                spec.response_class, resp_map, use=response_use
            )
            items = resp_map.get("items") if spec.raw["paginated"] else None
            if isinstance(items, dict) and items.get("item_fields"):
                spec.item_class = resp_builder._type(
                    items["type"][len("array<") : -1],
                    {"item_fields": items["item_fields"]},
                    response_name,
                    "items",
                    Rules(),
                    top=False,
                )
    registry.assign_names()
    for spec in specs:
        spec.request_class = registry.resolve(spec.request_class)
        spec.response_class = registry.resolve(spec.response_class)
        spec.item_class = spec.item_class and registry.resolve(spec.item_class)
        for param in spec.params:
            param["annotation"] = registry.resolve(param["annotation"])
    return registry.render_modules(sorted({s.area for s in specs}), constants)


def catalog_fields(s: Spec) -> list[str]:
    """The keyword arguments of one ``Endpoint(...)`` in the catalog, as source."""
    raw = s.raw
    task_module = f"{PACKAGE}.tasks.{s.area}"
    fields = [
        f"path={raw['path']!r}",
        f"method={raw['method']!r}",
        f"area={s.area!r}",
        f"name={s.name!r}",
        f"section={raw['section']!r}",
        f"summary={raw['name']!r}",
        f"legacy={s.legacy!r}",
        f"writes={s.writes!r}",
        f"paginated={raw['paginated']!r}",
        f"request_model=_{s.area}.{s.request_class}",
        f"response_model=_{s.area}.{s.response_class}",
        f"task={(f'{task_module}.{s.task}' if s.task else '')!r}",
        f"atask={(f'{task_module}.a{s.task}' if s.task else '')!r}",
        f"rate_limit={rate_limit_expr(raw)}",
        f"response_format={response_format(raw, s.outbound)!r}",
        f"auth={auth_of(raw, s.outbound)!r}",
    ]
    if "multipart" in (raw.get("request_content_type") or ""):
        fields.append("content_type='multipart'")
    if page_limit_max(raw) != 100:
        fields.append(f"page_limit_max={page_limit_max(raw)}")
    span = max_span_seconds(raw)
    if span:
        fields.append(f"max_span_seconds={span}")
    tags = [
        "flashcat",
        s.area,
        *(["legacy"] if s.legacy else []),
        *(["writes"] if s.writes else []),
    ]
    fields.append(f"tags={tuple(tags)!r}")
    if s.item_class:
        fields.append(f"item_model=_{s.area}.{s.item_class}")
    qp = query_params(raw)
    if qp:
        fields.append(f"query_params={qp!r}")
    return fields


def generate_catalog(specs: list[Spec]) -> str:
    return render(
        "catalog_data.py.j2",
        areas=sorted({s.area for s in specs}),
        entries=[catalog_fields(s) for s in specs],
    )


# ---------------------------------------------------------------------------------------------
# Client namespaces and tasks
# ---------------------------------------------------------------------------------------------


def resource_class(area: str) -> str:
    return f"{camel(area)}Resource"


def return_type(spec: Spec) -> str:
    if response_format(spec.raw, spec.outbound) == "csv":
        return "str"
    model = f"_{spec.area}.{spec.response_class}"
    return f"{model} | None" if spec.response_empty else model


def body_type(spec: Spec) -> str:
    return f"_{spec.area}.{spec.request_class} | Mapping[str, Any] | None"


def first_line(spec: Spec) -> str:
    """One short sentence per endpoint, built from facts (verb, path), not doc prose."""
    legacy = " Legacy: only in archived specs." if spec.legacy else ""
    return f"Call ``{spec.method} {spec.path}`` ({spec.raw['name'].lower()}).{legacy}"


@dataclass
class Flavour:
    """What differs between the sync and the async rendering of the same endpoint."""

    asynchronous: bool

    @property
    def prefix(self) -> str:
        return "Async" if self.asynchronous else ""

    @property
    def kind(self) -> str:
        return "async " if self.asynchronous else ""

    @property
    def await_(self) -> str:
        return "await " if self.asynchronous else ""

    @property
    def iterator(self) -> str:
        return "AsyncIterator" if self.asynchronous else "Iterator"


FLAVOURS = (Flavour(False), Flavour(True))


def method_context(spec: Spec) -> dict[str, Any]:
    """What the resource and task templates need to know about one endpoint."""
    ret = return_type(spec)
    integration = auth_of(spec.raw, False) == "integration_key"
    return {
        "params": spec.params,
        "name": spec.name,
        "task": spec.task,
        "path": spec.path,
        "const": "_" + spec.task.upper(),
        "body_type": body_type(spec),
        "return_type": ret,
        "first_line": first_line(spec),
        "paginated": bool(spec.raw["paginated"]),
        "item_type": f"_{spec.area}.{spec.item_class}" if spec.item_class else "Any",
        "request_class": spec.request_class,
        "param": "integration" if integration else "credentials",
        "block": "FlashcatIntegration" if integration else "FlashcatCredentials",
        "param_doc": (
            "the Event API integration block (its key authenticates the call)."
            if integration
            else "the Flashcat credentials block (app key and connection settings)."
        ),
        "returns_doc": (
            "The CSV text of the export."
            if ret == "str"
            else f"The parsed answer ({ret.replace(f'_{spec.area}.', '')})."
        ),
    }


def generate_resources(specs: list[Spec]) -> str:
    http = [s for s in specs if not s.outbound]
    areas = sorted({s.area for s in http})
    return render(
        "resources.py.j2",
        areas=areas,
        areas_repr=repr(tuple(areas)),
        flavours=FLAVOURS,
        resource_classes={area: resource_class(area) for area in areas},
        param_text=" ".join(p["annotation"] for s in http for p in s.params),
        by_area={area: [method_context(s) for s in http if s.area == area] for area in areas},
    )


def generate_task_module(area: str, specs: list[Spec]) -> str:
    auths = {auth_of(s.raw, False) for s in specs}
    blocks = [
        block
        for block, auth in (
            ("FlashcatCredentials", "app_key"),
            ("FlashcatIntegration", "integration_key"),
        )
        if auth in auths
    ]
    names = sorted(n for s in specs for n in (s.task, "a" + s.task))
    return render(
        "task_module.py.j2",
        area=area,
        blocks=blocks,
        specs=[method_context(s) for s in specs],
        names_repr=repr(names),
        param_text=" ".join(p["annotation"] for s in specs for p in s.params),
    )


def generate_tasks_init(specs: list[Spec]) -> str:
    mapping = {}
    for spec in (s for s in specs if not s.outbound):
        mapping[spec.task] = spec.area
        mapping["a" + spec.task] = spec.area
    by_area: dict[str, list[str]] = {}
    for name, area in sorted(mapping.items()):
        by_area.setdefault(area, []).append(name)
    return render(
        "tasks_init.py.j2", task_modules=sorted(mapping.items()), by_area=sorted(by_area.items())
    )


# ---------------------------------------------------------------------------------------------
# docs/api.md
# ---------------------------------------------------------------------------------------------


def doc_notes(s: Spec) -> list[str]:
    notes = []
    if s.legacy:
        notes.append("⚠ legacy")
    if s.raw["paginated"]:
        notes.append(f"{s.raw['paginated']} pages, `iter_{s.name}`")
    if s.path in PATCH_PATHS:
        notes.append("writes (patch: fields left out stay)")
    elif s.path in REPLACE_PATHS:
        notes.append("writes (replace: send the whole object)")
    elif s.writes:
        notes.append("writes")
    if response_format(s.raw, False) == "csv":
        notes.append("CSV")
    if auth_of(s.raw, False) == "integration_key":
        notes.append("integration key")
    return notes


def emulator_handlers(specs: list[Spec]) -> dict[str, str]:
    """Path -> the emulator handler its route table picks (``module:function``).

    Read from the emulator itself (its handlers register by path), after the models are
    written, so the docs row of an endpoint names the code that answers it in tests.
    """
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from flashcat_prefect.emulator.coverage import handler_label

    return {s.path: handler_label(s.path, s.writes) for s in specs if not s.outbound}


def generate_docs(specs: list[Spec]) -> str:
    http = [s for s in specs if not s.outbound]
    handlers = emulator_handlers(specs)
    areas = sorted({s.area for s in http})
    rows = {
        area: [
            {
                "legacy": s.legacy,
                "method": s.method,
                "path": s.path,
                "area": s.area,
                "name": s.name,
                "task": s.task,
                "request_class": s.request_class,
                "response_class": s.response_class,
                "handler": handlers[s.path],
                "notes": doc_notes(s),
            }
            for s in http
            if s.area == area
        ]
        for area in areas
    }
    return render(
        "api.md.j2",
        total=len(specs),
        legacy_total=sum(s.legacy for s in specs),
        http=http,
        outbound=[s for s in specs if s.outbound],
        areas=areas,
        by_area=rows,
    )


def generate(root: Path, spec_dir: Path = SPEC_DIR) -> list[Path]:
    verify_spec_snapshot(spec_dir)
    ARCHIVED_REQUEST_FIELDS.clear()
    ARCHIVED_REQUEST_FIELDS.update(load_archived_request_fields(spec_dir))
    STATED_RULES.clear()
    STATED_RULES.update(load_stated_rules(spec_dir))
    specs = build_specs(load_source(spec_dir / "endpoints.json"))
    written: list[Path] = []
    gen_dir = root / PACKAGE / "api" / "_generated"
    if gen_dir.exists():
        shutil.rmtree(gen_dir)
    gen_dir.mkdir(parents=True)

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    for area, text in sorted(generate_models(specs).items()):
        write(gen_dir / f"{area}.py", text)
    write(
        gen_dir / "__init__.py",
        '"""Generated by tools/generate_api.py from the API facts; do not edit by hand."""\n',
    )
    write(gen_dir / "catalog_data.py", generate_catalog(specs))
    write(root / PACKAGE / "client" / "_generated_resources.py", generate_resources(specs))
    tasks_dir = root / PACKAGE / "tasks"
    http = [s for s in specs if not s.outbound]
    for area in sorted({s.area for s in http}):
        write(
            tasks_dir / f"{area}.py",
            generate_task_module(area, [s for s in http if s.area == area]),
        )
    write(tasks_dir / "__init__.py", generate_tasks_init(specs))
    write(
        root / PACKAGE / "api" / "models.pyi",
        render("models.pyi.j2", areas=sorted({s.area for s in specs} | {SHARED_MODULE})),
    )
    docs = root / "docs" / "api.md"  # markdown: written, not handed to the formatter
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(generate_docs(specs), encoding="utf-8")
    return written


def format_outputs(paths: Iterable[Path]) -> None:
    """Sort imports and format with ruff under the repository's settings (deterministic)."""
    beside_python = Path(sys.executable).parent / "ruff"
    cmd = str(beside_python) if beside_python.exists() else shutil.which("ruff")
    if not cmd:
        raise SystemExit("ruff is needed to format the generated code (pip install ruff)")
    config = ["--config", str(REPO_ROOT / "pyproject.toml")]
    files = [str(p) for p in paths]
    subprocess.run(
        [cmd, "check", *config, "--fix", "--quiet", "--select", "I", *files], check=False
    )
    subprocess.run([cmd, "format", *config, "--quiet", *files], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=REPO_ROOT,
        help="where to write the output (the repository root unless checking for drift)",
    )
    args = parser.parse_args(argv)
    paths = generate(args.root)
    format_outputs(paths)
    print(f"wrote {len(paths)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
