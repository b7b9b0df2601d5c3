from django.urls import path

from . import views, views_removal, views_setup

app_name = "groups"

urlpatterns = [
    path("school/groups/", views.group_list, name="list"),
    path("school/groups/add/", views.group_create_view, name="create"),
    path("school/groups/<int:group_id>/edit/", views.group_edit, name="edit"),
    path("school/groups/<int:group_id>/archive/", views.group_archive_view, name="archive"),
    path("groups/", views.my_groups, name="mine"),
    path("groups/<int:group_id>/", views.group_detail, name="detail"),
    path("groups/<int:group_id>/members/add/", views.member_add, name="member_add"),
    path(
        "groups/<int:group_id>/members/<int:member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("groups/<int:group_id>/plan/", views.group_plan_edit, name="group_plan"),
    path("school/settings/", views_setup.settings_edit, name="settings"),
    path("school/theme/", views_setup.theme_detail, name="theme"),
    path("school/theme/edit/", views_setup.theme_edit, name="theme_edit"),
    path("school/plan/", views_setup.plan_detail, name="plan"),
    path("school/plan/edit/", views_setup.plan_edit, name="plan_edit"),
    path("school/plan/export.docx", views_setup.plan_export, name="plan_export"),
    path("school/removals/", views_removal.removal_list, name="removals"),
    path("district/removals/", views_removal.district_removals, name="district_removals"),
]
