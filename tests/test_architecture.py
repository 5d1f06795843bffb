"""The layers of the plugin apps cover every module, so a new module cannot slip past them."""

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def layered_modules(contract):
    return {name.strip() for layer in contract["layers"] for name in layer.replace(":", "|").split("|")}


def contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {contract["name"]: contract for contract in config["tool"]["importlinter"]["contracts"]}


def modules_of(package):
    """Every module with code; empty package markers (``__init__.py``) are no layer's business."""
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts or (parts[-1] == "__init__" and not path.read_text().strip()):
            continue
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("package", ["klachtformulieren", "partners"])
def test_every_module_of_a_plugin_app_is_in_a_layer(package):
    (contract,) = [c for c in contracts().values() if c["type"] == "layers" and c["name"].startswith(package)]
    layers = layered_modules(contract)

    outside = [
        module
        for module in modules_of(package)
        if not any(module == layer or module.startswith(layer + ".") for layer in layers)
    ]

    assert outside == [], f"add these modules to a layer of the contract {contract['name']!r}"


def test_at_most_ten_modules_directly_in_klachtformulieren():
    modules = sorted(path.name for path in (ROOT / "klachtformulieren").glob("*.py"))

    assert len(modules) <= 10, modules
