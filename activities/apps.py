from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "研修活动"

    def ready(self):
        # Every 调岗移除 clears the teacher's records in the school's activities.
        from groups.removal import removal_clearer_register

        from .services.removal import REMOVAL_CLEARER

        removal_clearer_register(REMOVAL_CLEARER)
