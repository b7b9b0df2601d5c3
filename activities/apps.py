from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "研修活动"
