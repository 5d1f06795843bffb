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


def test_a_missing_history_middleware_is_an_error(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "simple_history" not in m]

    assert "klachtformulieren.E003" in ids(checks.run_checks())


def test_a_missing_required_app_is_named(monkeypatch):
    from klachtformulieren import checks as plugin_checks

    monkeypatch.setattr(plugin_checks, "REQUIRED_APPS", (*plugin_checks.REQUIRED_APPS, "wagtail.contrib.missing"))

    problems = [p for p in checks.run_checks() if p.id == "klachtformulieren.E002"]

    assert len(problems) == 1 and "wagtail.contrib.missing" in problems[0].msg


def test_a_private_media_root_inside_media_root_is_an_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT = tmp_path / "private"

    assert "klachtformulieren.E004" in ids(checks.run_checks())


def test_djangos_default_sender_is_a_warning(settings):
    settings.DEFAULT_FROM_EMAIL = "webmaster@localhost"

    assert "klachtformulieren.W002" in ids(checks.run_checks())


def test_a_language_without_translation_is_a_warning(settings):
    settings.LANGUAGE_CODE = "fy"

    assert "klachtformulieren.W003" in ids(checks.run_checks())


def test_a_private_storage_that_is_not_in_storages_is_an_error(settings):
    settings.KLACHTFORMULIEREN_PRIVATE_STORAGE = "bijlagen"

    assert "klachtformulieren.E005" in ids(checks.run_checks())


def test_with_a_private_storage_no_private_media_root_is_needed(settings):
    settings.STORAGES = {**settings.STORAGES, "bijlagen": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    settings.KLACHTFORMULIEREN_PRIVATE_STORAGE = "bijlagen"
    settings.KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT = None

    found = ids(checks.run_checks())

    assert "klachtformulieren.E001" not in found
    assert "klachtformulieren.E005" not in found
