"""The house's shape (issue 20, docs/architecture.md): no module imports itself back through
others, and the import-linter contracts (apps in one direction, layers inside) hold."""

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("rss_dashboard", "faculty", "disclosures", "activities", "credit", "flyers")


def import_loops() -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), lazy imports inside functions included."""
    graph = grimp.build_graph(*PACKAGES)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                loops.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return loops


def test_no_module_imports_itself_back():
    assert import_loops() == []


def test_the_import_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_layer_module_is_in_the_contracts():
    """A new rules_*/services_*/selectors_*/models_* module joins its layer's contract (or the
    contracts would silently not look at it)."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ]
    listed = {m for c in contracts for m in c.get("source_modules", [])}
    missing = []
    for app in ("activities", "credit", "disclosures", "faculty", "flyers"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = path.stem
            layered = name.split("_")[0] in {"rules", "services", "selectors", "models"}
            layered = layered or name.endswith("_rules") or "services" in path.parts[:-1]
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(
                ".__init__"
            )
            if layered and module not in listed:
                missing.append(module)
    assert missing == [], "add them to [tool.importlinter] in pyproject.toml"
