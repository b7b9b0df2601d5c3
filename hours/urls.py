from django.urls import path

from . import views, views_removal

app_name = "hours"

urlpatterns = [
    path("hours/", views.my_hours, name="mine"),
    path("hours/group/", views.group_hours, name="group"),
    path("school/hours/", views.school_hours_list, name="school"),
    path(
        "school/hours/registration/",
        views.school_registration_status,
        name="school_registration",
    ),
    path("district/hours/", views.district_registration, name="district"),
    path(
        "school/roster/<int:membership_id>/remove/",
        views_removal.teacher_remove_confirm,
        name="teacher_remove",
    ),
]
