from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "hours"
    verbose_name = "学时"

    def ready(self):
        from groups.removal import removal_clearer_register

        from .services import REMOVAL_CLEARER

        removal_clearer_register(REMOVAL_CLEARER)
