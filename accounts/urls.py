from django.urls import path

from .views import auth, district, inbox, profile, roster

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/role/", auth.role_switch, name="role_switch"),
    path("accounts/email/", profile.email, name="email"),
    path("school/roster/", roster.roster_list, name="roster"),
    path("school/roster/add/", roster.teacher_create, name="teacher_create"),
    path("school/roster/<int:membership_id>/edit/", roster.teacher_edit, name="teacher_edit"),
    path(
        "school/roster/<int:membership_id>/password/",
        roster.teacher_password_reset_view,
        name="teacher_password_reset",
    ),
    path("school/roster/import/", roster.roster_import_view, name="roster_import"),
    path(
        "school/roster/passwords/",
        roster.roster_passwords_reissue,
        name="roster_passwords_reissue",
    ),
    path("school/roster/template.xlsx", roster.roster_template_download, name="roster_template"),
    path("district/schools/", district.district_schools, name="district_schools"),
    path("district/id-refusals/", district.district_id_refusals, name="district_id_refusals"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.inbox_read, name="inbox_read"),
]
