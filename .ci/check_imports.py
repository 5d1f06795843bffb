"""Lint: no import cycles among the project's modules, counting imports placed inside
functions, and no first-party import inside a function to dodge one.

An import inside a function hides a dependency from the layers contract (import-linter
counts it, but a reader does not see it at the top). Django's own lazy-loading places are
the exception: ``AppConfig.ready()`` and ``import_models()``, and data migrations (which
must use the historical models). Prints every problem and exits 1 when there is one.
"""

import ast
import sys
from pathlib import Path

import grimp

PACKAGES = ("portal", "home", "klachtformulieren", "partners")
ALLOWED_FUNCTIONS = {"ready", "import_models"}


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    modules = sorted(graph.modules)
    edges = {module: sorted(graph.find_modules_directly_imported_by(module)) for module in modules}
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    found.append(sorted(component))
    return found


def shortest_cycle(graph, component):
    """One cycle through the first module of a strongly connected component, as a path."""
    start = component[0]
    members = set(component)
    best = None
    for imported in graph.find_modules_directly_imported_by(start) & members:
        chain = (start,) if imported == start else graph.find_shortest_chain(importer=imported, imported=start)
        if chain and (best is None or len(chain) < len(best)):
            best = chain
    return [start, *best] if best and best != (start,) else [start, start]


def imports_inside_functions(root):
    problems = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if function.name in ALLOWED_FUNCTIONS and path.name == "apps.py":
                    continue
                for node in ast.walk(function):
                    names = []
                    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        names = [node.module]
                    elif isinstance(node, ast.Import):
                        names = [alias.name for alias in node.names]
                    for name in names:
                        if name.split(".")[0] in PACKAGES:
                            where = f"{path.relative_to(root)}:{node.lineno}"
                            problems.append(f"{where}: imports {name} inside {function.name}()")
    return problems


def main():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    problems = []
    for component in cycles(graph):
        problems.append("import cycle: " + " -> ".join(shortest_cycle(graph, component)))
    problems.extend(imports_inside_functions(root))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} import problem(s).")
        return 1
    print(f"No import cycles among {len(graph.modules)} modules; no first-party import inside a function.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
