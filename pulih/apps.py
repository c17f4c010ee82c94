from django.apps import AppConfig


class PulihConfig(AppConfig):
    name = "pulih"
    verbose_name = "Pulih"
