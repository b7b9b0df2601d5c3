from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "考核与验收"

    def ready(self):
        # Every 调岗移除 archives the teacher's materials (services.removal).
        from groups.removal import removal_clearer_register

        from .services.removal import REMOVAL_CLEARER

        removal_clearer_register(REMOVAL_CLEARER)
