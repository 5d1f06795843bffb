"""The Dutch translations are complete and their compiled catalogues are up to date.

The .mo files are committed so a machine without GNU gettext still serves Dutch; this
test fails when someone edits a .po file and forgets `make messages`.
"""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/nl/LC_MESSAGES/django.po"))


def test_every_app_ships_a_dutch_catalogue():
    apps = {path.parts[len(ROOT.parts)] for path in CATALOGUES}
    assert {"portal", "home", "klachtformulieren", "partners"} <= apps


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-4])
def test_catalogue_is_fully_translated(po_path):
    catalogue = polib.pofile(str(po_path))

    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-4])
def test_compiled_catalogue_matches_its_source(po_path):
    source = {
        (entry.msgid, entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))) for entry in polib.pofile(str(po_path))
    }
    compiled = {
        (entry.msgid, entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
        for entry in polib.mofile(str(po_path.with_suffix(".mo")))
    }

    assert source <= compiled
