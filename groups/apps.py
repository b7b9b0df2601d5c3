from django.apps import AppConfig


def leader_grants(user_id: int):
    """教研组长 is a role: whoever leads a non-archived group holds it in that
    group's school, while they hold an active place there. 调岗移除 hands the
    groups back; the place is checked here too, so that no other way a place
    ends (the operator's admin) leaves a former teacher leading a school's
    group. Rows of the one grants query (accounts.roles)."""
    from django.db.models import Exists, OuterRef

    from accounts.models import SchoolMembership
    from accounts.roles import Role, grant_rows

    from .models import ResearchGroup

    placed = SchoolMembership.objects.active().filter(
        user_id=user_id, school_id=OuterRef("school_id")
    )
    led = ResearchGroup.objects.filter(leader_id=user_id, archived_at__isnull=True).filter(
        Exists(placed)
    )
    return grant_rows(led, role=Role.LEADER, school="school_id", place="school__name").distinct()


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "校本研修设置"

    def ready(self):
        from accounts.places import place_records_register
        from accounts.roles import ROLE_PROVIDERS

        from .removal import place_records

        if leader_grants not in ROLE_PROVIDERS:
            ROLE_PROVIDERS.append(leader_grants)
        place_records_register(place_records)
