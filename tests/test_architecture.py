"""Architecture rules of the package (issue 10), read from the source with `ast`:

- no import cycle between the modules of plugins/clss, counting imports inside functions
  (a function-level import only hides a cycle) and leaving out `if TYPE_CHECKING:` blocks;
- no module over 400 lines;
- the environment carries no parameters between our own functions: the only variables the
  package reads or writes are documented user settings (and third-party ones it sets for the
  programs it runs);
- the migration audit (`clss.tools`) is not part of the package.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "plugins" / "clss"
MAX_LINES = 400

# documented user settings (README, "For developers") and what third-party programs read
ENV_ALLOWED = {
    "CLSS_ROOT": "the project folder, instead of the nearest parent with content/ and mkdocs.yml",
    "CLSS_DEBUG": "show the traceback of an internal error",
    "CLSS_NO_CACHE": "disable the caches in .cache/clss/",
    "CLSS_LANG": "the language of a plain `mkdocs build` (mkdocs.yml `!ENV`); clss build/serve do not use it",
    "CLSS_PRINT_KEEP": "debugging: keep the Typst sources of each print job in this folder",
    "SOURCE_DATE_EPOCH": "reproducible builds: the build date (read by MkDocs)",
    "NO_MKDOCS_2_WARNING": "silence MkDocs' notice about MkDocs 2",
    "GHCRTS": "pandoc's (GHC runtime) options, set for the pandoc child process",
}


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        parts = path.relative_to(PKG.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                skip |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skip


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package modules that module `name` imports anywhere (module level or in a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_checking_nodes(tree)
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()

    def add(target: str) -> None:
        while target and target not in known:  # `import clss.print.pdf.x` -> the longest known prefix
            target = target.rpartition(".")[0]
        if target and target != name:
            out.add(target)

    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "clss" or alias.name.startswith("clss."):
                    add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not (module == "clss" or module.startswith("clss.")):
                continue
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                add(candidate if candidate in known else module)
    return out


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _path_in(component: list[str], graph: dict[str, set[str]]) -> str:
    """One cycle through the component, as `a -> b -> a`, for the failure message."""
    start = component[0]
    inside = set(component)
    path, seen = [start], {start}
    while True:
        nxt = sorted(w for w in graph[path[-1]] if w in inside)
        back = [w for w in nxt if w == start]
        if back and len(path) > 1:
            return " -> ".join(path + [start])
        fresh = [w for w in nxt if w not in seen]
        if not fresh:
            return " -> ".join(path + [nxt[0]]) if nxt else " -> ".join(path)
        path.append(fresh[0])
        seen.add(fresh[0])


# --- the rules ---------------------------------------------------------------------------------------


def test_the_graph_sees_function_level_imports():
    """The checker itself: a cycle hidden in a function is found."""
    graph = {"clss.a": {"clss.b"}, "clss.b": {"clss.a"}, "clss.c": {"clss.a"}}
    assert cycles(graph) == [["clss.a", "clss.b"]]
    known = {"clss.checks": PKG / "checks.py", "clss.load": PKG / "load.py", "clss.sections": PKG / "sections.py",
             "clss.assemble": PKG / "assemble.py", "clss.languages": PKG / "languages.py", "clss.scaffold": PKG / "scaffold.py"}
    # checks.py imports sections at module level; cli.py imports scaffold inside its commands
    assert {"clss.sections", "clss.languages"} <= imports_of("clss.checks", PKG / "checks.py", known)
    assert "clss.scaffold" in imports_of("clss.cli", PKG / "cli.py", known)


# known import edges that close a cycle, with the bug they stand for; the first test below
# tolerates them (any other cycle fails), the second fails until they are gone (strict xfail)
KNOWN_CYCLE_EDGES: dict[tuple[str, str], str] = {}


def test_no_new_import_cycle():
    graph = import_graph()
    assert len(graph) > 10
    graph = {v: {w for w in ws if (v, w) not in KNOWN_CYCLE_EDGES} for v, ws in graph.items()}
    found = cycles(graph)
    assert not found, "import cycles (function-level imports included):\n" + "\n".join(_path_in(c, graph) for c in found)


def test_no_import_cycle():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles (function-level imports included):\n" + "\n".join(_path_in(c, graph) for c in found)


def _too_long() -> dict[str, int]:
    out = {}
    for name, path in modules().items():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            out[name] = n
    return out


def test_core_modules_are_small():
    """The modules directly under plugins/clss (load, checks, assemble, model, cli…)."""
    offenders = {k: n for k, n in _too_long().items() if k.count(".") == 1}
    assert not offenders, f"modules over {MAX_LINES} lines: " + ", ".join(f"{k} ({n})" for k, n in sorted(offenders.items()))


def test_subpackage_modules_are_small():
    """print/, site/, translations/: being split by their owners; xfail while any is too long."""
    offenders = {k: n for k, n in _too_long().items() if k.count(".") > 1}
    if offenders:
        pytest.xfail(f"modules over {MAX_LINES} lines: " + ", ".join(f"{k} ({n})" for k, n in sorted(offenders.items())))


def _env_uses(path: Path) -> list[tuple[int, str]]:
    """(line, variable name or '<dynamic>') of every read or write of the environment."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out = []

    def is_environ(node) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"

    def key(node) -> str:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else "<dynamic>"

    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and is_environ(node.value):
            out.append((node.lineno, key(node.slice)))
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and is_environ(f.value) and f.attr in ("get", "pop", "setdefault") and node.args:
                out.append((node.lineno, key(node.args[0])))
            elif isinstance(f, ast.Attribute) and f.attr in ("getenv", "putenv", "unsetenv") and isinstance(f.value, ast.Name) and f.value.id == "os" and node.args:
                out.append((node.lineno, key(node.args[0])))
            elif any(is_environ(a) for a in node.args):  # dict(os.environ, NAME=…) for a child process
                out.extend((node.lineno, k.arg or "<dynamic>") for k in node.keywords)
            elif isinstance(f, ast.Attribute) and f.attr == "update" and is_environ(f.value):
                out.extend((node.lineno, k.arg or "<dynamic>") for k in node.keywords)
                out.extend((node.lineno, "<dynamic>") for _ in node.args)
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            out.append((node.lineno, key(node.left)))
    return out


def test_environment_carries_no_parameters():
    bad = []
    for name, path in modules().items():
        for line, var in _env_uses(path):
            if var not in ENV_ALLOWED:
                bad.append(f"{path.relative_to(PKG.parent.parent)}:{line}: {var}")
    assert not bad, "environment variables that are not documented user settings:\n" + "\n".join(bad)


def test_no_clss_variable_is_passed_to_a_child_process():
    """`CLSS_*` names anywhere in the code (e.g. an env dict built for a subprocess) are user settings."""
    bad = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"CLSS_[A-Z0-9_]+", node.value):
                if node.value not in ENV_ALLOWED:
                    bad.append(f"{path.relative_to(PKG.parent.parent)}:{node.lineno}: {node.value}")
    assert not bad, "\n".join(bad)


def test_grep_os_environ_subscript():
    """The acceptance grep of issue 10: every `os.environ[` line names an allowed variable."""
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for mt in re.finditer(r"os\.environ\[([^\]]*)\]", line):
                var = mt.group(1).strip("'\" ")
                if var not in ENV_ALLOWED:
                    bad.append(f"{path.relative_to(PKG.parent.parent)}:{n}: {line.strip()}")
    assert not bad, "\n".join(bad)


def test_migration_audit_is_not_in_the_package():
    assert not (PKG / "tools").exists(), "plugins/clss/tools is a migration audit: it belongs in the repository's tools/"
