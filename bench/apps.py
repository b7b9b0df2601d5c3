from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The scale harness (README "Province scale"): the seed command and the
    benchmark scripts beside it. No models; like config/, it may import every app."""

    name = "bench"
    verbose_name = "基准测试"
