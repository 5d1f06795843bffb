"""docs/deployment.md names every environment variable the settings read, and every unit it
tells to install is in deploy/systemd/."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "deployment.md").read_text()


def test_every_variable_the_settings_read_is_in_the_guide():
    settings_code = "".join(path.read_text() for path in (ROOT / "portal" / "settings").glob("*.py"))
    variables = set(re.findall(r'env_(?:str|bool|int|list|required)\("([A-Z0-9_]+)"', settings_code))

    assert "DJANGO_S3_PRIVATE_BUCKET" in variables
    assert sorted(name for name in variables if f"`{name}`" not in GUIDE) == []


def test_every_unit_the_guide_names_exists():
    named = set(re.findall(r"klachtenportaal-[a-z-]+(?:@)?\.(?:service|timer)", GUIDE))
    shipped = {path.name for path in (ROOT / "deploy" / "systemd").iterdir()}

    assert named
    assert sorted(named - shipped) == []
