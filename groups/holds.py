"""What groups holds while the school's acceptance holds its records
(accounts.holds keeps the rule's registry), as the refusal names it."""

PLAN = "校本研修方案（两案）"
THEME = "校本主题和关键能力点"
GROUP_PLAN = "教研组研修计划"
GROUPS = "教研组及其典型案例"
