"""The package shows the scoring flow: stages that import only the stages before them.

The order is the README's (Development): the package root and its errors and resources;
grounding; reading and checking input; the reference systems; aligning and scoring; running
over documents; presenting; building the corpus; the command line over all of them. A
module may import its own stage and earlier ones, lazily or not, and nothing later, so no
import cycle can form between stages; within a stage, module-level imports form no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "eval" / "factgold"
STAGES = ("base", "ground", "read", "baselines", "score", "run", "present", "dataset", "cli")
BASE = {"factgold", "factgold.errors", "factgold.resources"}
TOP = {"factgold.cli", "factgold.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> int:
    if module in BASE:
        return 0
    if module in TOP:
        return STAGES.index("cli")
    return STAGES.index(module.split(".")[1])


def imports(path: Path) -> list[tuple[str, bool]]:
    """The factgold modules a file imports, each with whether the import is at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from factgold.read import schema" imports the module factgold.read.schema.
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name == "factgold" or name.startswith("factgold."):
                found.append((name, id(node) in top_level))
    return found


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def resolve(name: str) -> str | None:
    """The module an imported name is (a name imported from a module is that module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_its_stage_and_earlier_ones(module: str) -> None:
    if module == "factgold":
        return  # the root's names are imported lazily, on first use (`factgold.__getattr__`)
    later = [
        name
        for name, _ in imports(MODULES[module])
        if (target := resolve(name)) is not None and target != "factgold" and stage(target) > stage(module)
    ]
    assert later == [], f"{module} ({STAGES[stage(module)]}) imports a later stage: {later}"


def test_no_import_cycle_at_module_level() -> None:
    graph = {
        module: {
            target
            for name, top in imports(path)
            if top and (target := resolve(name)) is not None and target not in (module, "factgold")
        }
        for module, path in MODULES.items()
    }
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            raise AssertionError(" -> ".join([*trail[trail.index(module) :], module]))
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_every_top_level_module_belongs_to_a_stage() -> None:
    loose = sorted(m for m in MODULES if m.count(".") == 1 and m not in BASE | TOP and m.split(".")[1] not in STAGES)
    assert loose == []
