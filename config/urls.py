from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "校本研修平台 · 省工程办"
admin.site.site_title = "校本研修平台"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("hours.urls")),
    path("", include("groups.urls")),
    path("activities/", include("activities.urls")),
    path("", include("assessment.urls")),
]
