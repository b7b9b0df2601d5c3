"""The navigation bar of each role: (label, url name). One list per role, so the
menu a person sees always matches the pages their role may open."""

from accounts.roles import Role

NAVIGATION: dict[str, list[tuple[str, str]]] = {
    Role.OPERATOR: [
        ("看板", "assessment:district_dashboard"),
        ("学校", "accounts:district_schools"),
    ],
    Role.DISTRICT_ADMIN: [
        ("看板", "assessment:district_dashboard"),
        ("学校", "accounts:district_schools"),
        ("调岗移除记录", "groups:district_removals"),
        ("身份证号拒绝记录", "accounts:district_id_refusals"),
        ("验收方案", "assessment:scheme"),
        ("验收评审", "assessment:district_acceptances"),
        ("学时登记", "hours:district"),
    ],
    Role.EXPERT: [("评审学校", "assessment:expert_schools")],
    Role.SCHOOL_ADMIN: [
        ("教师名单", "accounts:roster"),
        ("教研组", "groups:list"),
        ("校本主题", "groups:theme"),
        ("两案", "groups:plan"),
        ("调岗移除", "groups:removals"),
        ("教师学时", "hours:school"),
        ("研修覆盖", "activities:school_coverage"),
        ("计划一致性", "activities:consistency"),
        ("组长学时确认", "activities:claims"),
        ("研修考核", "assessment:review"),
        ("未完成情况", "assessment:lacking"),
        ("延期记录", "activities:school_extensions"),
        ("能力点测评", "assessment:register"),
        ("典型案例", "assessment:school_cases"),
        ("整校推进验收", "assessment:acceptance"),
    ],
    Role.INFO_TEAM: [
        ("两案", "groups:plan"),
        ("教研组", "groups:list"),
        ("校本主题", "groups:theme"),
        ("教师学时", "hours:school"),
        ("研修覆盖", "activities:school_coverage"),
        ("计划一致性", "activities:consistency"),
        ("能力点测评", "assessment:register"),
        ("典型案例", "assessment:school_cases"),
        ("整校推进验收", "assessment:acceptance"),
    ],
    Role.LEADER: [
        ("我的教研组", "groups:mine"),
        ("研修专题与活动", "activities:leading"),
        ("校本主题", "groups:theme"),
        ("组员学时", "hours:group"),
        ("组员进度", "assessment:leader_members"),
        ("组员测评", "assessment:leader_evaluations"),
        ("典型案例", "assessment:cases"),
    ],
    Role.TEACHER: [
        ("我的教研组", "groups:mine"),
        ("研修活动", "activities:mine"),
        ("我的学时", "hours:mine"),
        ("我的研修", "assessment:mine"),
    ],
}


def nav_for(role: str) -> list[tuple[str, str]]:
    return NAVIGATION.get(role, [])
