"""docs/awb-conformance.md names only tests that exist and run (not skipped, not xfail)."""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "awb-conformance.md"
NODE_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
PROVISIONS = [f"Awb 9:{number}" for number in range(1, 13)] + ["Awb 9:12a", "Awb 2:3", "Algemene termijnenwet"]
NOT_RUN_MARKS = {"skip", "skipif", "xfail"}


def table_rows():
    return [line for line in DOC.read_text().splitlines() if line.startswith("| ") and "::" in line]


def decorator_names(function):
    names = set()
    for decorator in function.decorator_list:
        node = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
    return names


def test_every_provision_has_a_row_with_tests():
    first_cells = [row.split("|")[1].strip() for row in table_rows()]
    for provision in PROVISIONS:
        assert any(cell.startswith(provision) for cell in first_cells), f"{provision} has no row with tests"


def test_every_listed_test_exists_and_is_not_skipped_or_xfail():
    listed = [match for row in table_rows() for match in NODE_ID.findall(row)]
    assert len(listed) >= 30
    for path, name in listed:
        module_path = REPO / path
        assert module_path.exists(), f"{path} does not exist"
        tree = ast.parse(module_path.read_text())
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert name in functions, f"{path}::{name} does not exist"
        assert not decorator_names(functions[name]) & NOT_RUN_MARKS, f"{path}::{name} is skipped or xfail"
