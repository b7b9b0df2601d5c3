"""The navigation bar of each role. One list per role, so the menu a person sees
always matches the pages their role may open. An entry is a page (label, url
name) or a group of pages (label, [(label, url name), ...]) shown as a dropdown:
the school admin's fifteen pages side by side squeezed each label into a column
of single characters at 1280 px."""

from accounts.roles import Role

Page = tuple[str, str]
Entry = tuple[str, str | list[Page]]

NAVIGATION: dict[str, list[Entry]] = {
    Role.OPERATOR: [
        ("看板", "assessment:district_dashboard"),
        ("学校", "accounts:district_schools"),
    ],
    Role.DISTRICT_ADMIN: [
        ("看板", "assessment:district_dashboard"),
        ("学校", "accounts:district_schools"),
        ("验收方案", "assessment:scheme"),
        ("验收评审", "assessment:district_acceptances"),
        ("学时登记", "hours:district"),
        (
            "记录",
            [
                ("调岗移除记录", "groups:district_removals"),
                ("号码拒绝记录", "accounts:district_id_refusals"),
            ],
        ),
    ],
    Role.EXPERT: [("评审学校", "assessment:expert_schools")],
    Role.SCHOOL_ADMIN: [
        (
            "教师",
            [
                ("教师名单", "accounts:roster"),
                ("调岗移除", "groups:removals"),
                ("教师学时", "hours:school"),
                ("延期记录", "activities:school_extensions"),
            ],
        ),
        (
            "研修",
            [
                ("教研组", "groups:list"),
                ("校本主题", "groups:theme"),
                ("两案", "groups:plan"),
                ("研修覆盖", "activities:school_coverage"),
                ("计划一致性", "activities:consistency"),
                ("组长学时确认", "activities:claims"),
            ],
        ),
        (
            "考核",
            [
                ("研修考核", "assessment:review"),
                ("未完成情况", "assessment:lacking"),
                ("能力点测评", "assessment:register"),
                ("典型案例", "assessment:school_cases"),
            ],
        ),
        ("整校推进验收", "assessment:acceptance"),
    ],
    Role.INFO_TEAM: [
        (
            "研修",
            [
                ("两案", "groups:plan"),
                ("教研组", "groups:list"),
                ("校本主题", "groups:theme"),
                ("研修覆盖", "activities:school_coverage"),
                ("计划一致性", "activities:consistency"),
            ],
        ),
        ("教师学时", "hours:school"),
        ("能力点测评", "assessment:register"),
        ("典型案例", "assessment:school_cases"),
        ("整校推进验收", "assessment:acceptance"),
    ],
    Role.LEADER: [
        ("我的教研组", "groups:mine"),
        ("研修专题与活动", "activities:leading"),
        ("校本主题", "groups:theme"),
        (
            "组员",
            [
                ("组员学时", "hours:group"),
                ("组员进度", "assessment:leader_members"),
                ("组员测评", "assessment:leader_evaluations"),
            ],
        ),
        ("典型案例", "assessment:cases"),
    ],
    Role.TEACHER: [
        ("我的教研组", "groups:mine"),
        ("研修活动", "activities:mine"),
        ("我的学时", "hours:mine"),
        ("我的研修", "assessment:mine"),
    ],
}


def nav_menu(role: str) -> list[Entry]:
    """The role's menu as it is drawn: pages and groups of pages."""
    return NAVIGATION.get(role, [])


def nav_for(role: str) -> list[Page]:
    """Every page of the role's menu, groups opened, in menu order."""
    pages = []
    for label, target in nav_menu(role):
        pages += target if isinstance(target, list) else [(label, target)]
    return pages
