"""The navigation bar of each role: (label, url name). One list per role, so the
menu a person sees always matches the pages their role may open."""

from accounts.roles import Role

NAVIGATION: dict[str, list[tuple[str, str]]] = {
    Role.OPERATOR: [("学校", "accounts:district_schools")],
    Role.DISTRICT_ADMIN: [("学校", "accounts:district_schools")],
    Role.EXPERT: [],
    Role.SCHOOL_ADMIN: [("教师名单", "accounts:roster")],
    Role.INFO_TEAM: [],
    Role.LEADER: [],
    Role.TEACHER: [],
}


def nav_for(role: str) -> list[tuple[str, str]]:
    return NAVIGATION.get(role, [])
