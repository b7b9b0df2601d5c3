from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "研修活动"

    def ready(self):
        # Every 调岗移除 clears the teacher's records in the school's activities.
        from groups.removal import removal_clearer_register

        from .services.removal import REMOVAL_CLEARER

        removal_clearer_register(REMOVAL_CLEARER)

        # The daily job reminds members of online activities closing soon.
        from accounts.reminders import ReminderSource, reminder_source_register

        from .reminders import activity_closing_due

        reminder_source_register(
            ReminderSource("activity_closing", "研修活动即将截止", activity_closing_due)
        )
