"""The top-level packages import each other in one direction only: no import cycles between them."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reception", "hub", "kiosk", "display_board", "hardware", "bench", "web")


def package_imports(root: Path, packages: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """(importer, imported) package pairs, each with one ``file:line`` where it happens; module-level and
    function-level imports both count (an import deferred into a function is still a dependency)."""
    found: dict[tuple[str, str], str] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in packages and top != package:
                        found.setdefault((package, top), f"{path.relative_to(root)}:{node.lineno}")
    return found


def cycles(edges: dict[tuple[str, str], str]) -> list[list[str]]:
    """Each cycle once, as the packages along it with where each import happens."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    found, seen = [], set()

    def walk(path: list[str]) -> None:
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt == path[0]:
                ring = path + [nxt]
                if frozenset(ring) not in seen:
                    seen.add(frozenset(ring))
                    found.append([f"{a} -> {b} ({edges[a, b]})" for a, b in zip(ring, ring[1:])])
            elif nxt not in path and nxt > path[0]:  # start each cycle at its smallest package
                walk(path + [nxt])

    for start in sorted(graph):
        walk([start])
    return found


def test_no_import_cycle_between_top_level_packages():
    assert cycles(package_imports(ROOT, PACKAGES)) == []


def test_a_cycle_is_found_through_a_function_level_import(tmp_path):
    for package, source in {"one": "import two.b\n", "two": "def f():\n    from three import c\n",
                            "three": "from one.a import x\n", "four": "import one\n"}.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "m.py").write_text(source)
    assert cycles(package_imports(tmp_path, ("one", "two", "three", "four"))) == [
        ["one -> two (one/m.py:1)", "two -> three (two/m.py:2)", "three -> one (three/m.py:1)"]]


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 40


def oversized(root: Path, packages: tuple[str, ...], skip: tuple[str, ...] = ()) -> list[str]:
    """Modules over ``MAX_MODULE_LINES`` lines and functions (methods, nested ones) over ``MAX_FUNCTION_LINES``,
    from ``def`` (decorators not counted) to their last line, as ``path:line name (lines)``."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name.startswith(skip):
                continue
            text = path.read_text(encoding="utf-8")
            if len(text.splitlines()) > MAX_MODULE_LINES:
                found.append(f"{name} ({len(text.splitlines())} lines)")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > MAX_FUNCTION_LINES:
                        found.append(f"{name}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_module_over_400_lines_and_no_function_over_40_outside_tests():
    assert oversized(ROOT, PACKAGES) == []


def test_an_oversized_function_and_module_are_found(tmp_path):
    (tmp_path / "one").mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(40))
    (tmp_path / "one" / "m.py").write_text(f"def short():\n    pass\n\n\ndef long():\n{body}" + "\n" * 360)
    assert oversized(tmp_path, ("one",)) == ["one/m.py (405 lines)", "one/m.py:5 long (41 lines)"]
