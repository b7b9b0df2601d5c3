from django.apps import AppConfig


def leader_grants(user_id: int):
    """教研组长 is a role: whoever leads a non-archived group holds it in that
    group's school. Rows of the one grants query (accounts.roles)."""
    from accounts.roles import Role, grant_rows

    from .models import ResearchGroup

    led = ResearchGroup.objects.filter(leader_id=user_id, archived_at__isnull=True)
    return grant_rows(led, role=Role.LEADER, school="school_id", place="school__name").distinct()


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "校本研修设置"

    def ready(self):
        from accounts.roles import ROLE_PROVIDERS

        if leader_grants not in ROLE_PROVIDERS:
            ROLE_PROVIDERS.append(leader_grants)
