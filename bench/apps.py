from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Models used only by the benchmarks; installed by bench.settings, never by the portal's settings."""

    name = "bench"
    label = "bench"
    verbose_name = "Benchmarks"
    default_auto_field = "django.db.models.BigAutoField"
