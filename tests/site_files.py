"""Site files for tests: the example as a document, mutated one key at a time, and written back as TOML."""
from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLE_CONFIG

Route = tuple  # a route into the document: keys of tables, indexes of lists


def example() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))


def dumps(doc: dict[str, Any]) -> str:
    """TOML for a document, every table inline: enough for any document tomllib returns."""
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in doc.items())


def _key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(map(_value, v)) + "]"
    return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"


def write(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(dumps(doc), encoding="utf-8")
    return path


def key_paths(node: Any, route: Route = ()) -> list[Route]:
    """Every key of every table in the document, tables inside lists included."""
    found = []
    if isinstance(node, dict):
        for k, v in node.items():
            found.append(route + (k,))
            found += key_paths(v, route + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += key_paths(v, route + (i,))
    return found


def value_paths(node: Any, route: Route = ()) -> list[Route]:
    """Every value in the document: table entries and list items."""
    found = []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in children:
        found.append(route + (k,))
        found += value_paths(v, route + (k,))
    return found


def at(doc: Any, route: Route) -> Any:
    for step in route:
        doc = doc[step]
    return doc


def mutated(doc: dict[str, Any], route: Route, change) -> dict[str, Any]:
    """A copy of ``doc`` with ``change(parent, last_step)`` applied where ``route`` leads."""
    doc = copy.deepcopy(doc)
    change(at(doc, route[:-1]), route[-1])
    return doc
