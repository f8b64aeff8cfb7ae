"""The layout shows the pipeline (docs/architecture.md), and no module of autograder/ imports
another that imports it back, even through a function-level import."""

import ast
import pathlib

REPO = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = REPO / "autograder"
STAGES = {"course", "start", "grading", "scoring", "sandbox"}


def modules():
    """{dotted name: path} of autograder's modules (the hidden checks are not modules)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        if "__pycache__" in parts or "hidden_checks" in parts:
            continue
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(found):
    """{module: the autograder modules it imports, anywhere in its code}.

    `from . import x` counts as importing x, not the package that holds it (Python imports a
    package before its modules, whatever the code says)."""
    graph = {name: set() for name in found}
    for name, path in found.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([node.module] if node.module else []))
                submodules = [f"{base}.{alias.name}" for alias in node.names
                              if f"{base}.{alias.name}" in found]
                targets = submodules if submodules and not node.module else [base] + submodules
            graph[name] |= {t for t in targets if t in found and t != name}
    return graph


def cycle_through(graph, start):
    """A list of modules from `start` back to it, or None."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in graph[node]:
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def test_no_module_imports_one_that_imports_it_back():
    graph = import_graph(modules())
    assert "autograder.scoring.judge" in graph["autograder.scoring.evidence"]  # the graph is read
    cycles = [c for c in (cycle_through(graph, name) for name in sorted(graph)) if c]
    assert not cycles, " -> ".join(cycles[0])


def test_a_planted_circle_is_found(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycle_through(graph, "a") == ["a", "b", "c", "a"] and cycle_through(graph, "d") is None


def test_every_module_lives_in_a_stage():
    """autograder/ holds the CLI and one folder per stage of the pipeline, nothing flat."""
    top = {p.name for p in PACKAGE.iterdir() if not p.name.startswith(("__pycache__", "."))}
    assert top == {"__init__.py", "__main__.py"} | STAGES
    architecture = (REPO / "docs" / "architecture.md").read_text()
    for stage in STAGES:
        assert f"autograder/{stage}/" in architecture, stage
