from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/role/", views.role_switch, name="role_switch"),
    path("school/roster/", views.roster_list, name="roster"),
    path("school/roster/add/", views.teacher_create, name="teacher_create"),
    path("school/roster/<int:membership_id>/edit/", views.teacher_edit, name="teacher_edit"),
    path(
        "school/roster/<int:membership_id>/password/",
        views.teacher_password_reset_view,
        name="teacher_password_reset",
    ),
    path("school/roster/import/", views.roster_import_view, name="roster_import"),
    path("school/roster/template.xlsx", views.roster_template_download, name="roster_template"),
    path("district/schools/", views.district_schools, name="district_schools"),
]
