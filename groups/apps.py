from django.apps import AppConfig


def leader_grants(user) -> list:
    """教研组长 is a role: whoever leads a non-archived group holds it in that
    group's school. One query."""
    from accounts.roles import Grant, Role

    from .models import ResearchGroup

    rows = (
        ResearchGroup.objects.filter(leader=user, archived_at__isnull=True)
        .values_list("school_id", "school__name")
        .distinct()
        .order_by("school_id")
    )
    return [Grant(Role.LEADER, school_id=sid, place=name) for sid, name in rows]


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "校本研修设置"

    def ready(self):
        from accounts.roles import ROLE_PROVIDERS

        if leader_grants not in ROLE_PROVIDERS:
            ROLE_PROVIDERS.append(leader_grants)
