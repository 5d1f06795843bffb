"""The plugin's system checks tell a host what is missing or mistyped."""

from django.core import checks


def ids(problems):
    return [problem.id for problem in problems]


def test_a_missing_private_media_root_is_an_error(settings):
    settings.KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT = None

    assert "klachtformulieren.E001" in ids(checks.run_checks())


def test_a_mistyped_setting_is_a_warning(settings):
    settings.KLACHTFORMULIEREN_SUBMIT_RAT = "5/h"

    assert "klachtformulieren.W001" in ids(checks.run_checks())


def test_the_reference_portal_passes_the_checks():
    assert not [problem for problem in checks.run_checks() if problem.id.startswith("klachtformulieren.")]
