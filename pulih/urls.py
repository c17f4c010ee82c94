from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pulih import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("api/v1/", include("api.urls")),
    path("", views.home, name="home"),
    path("", include("units.urls")),
    path("", include("surveys.urls")),
    path("", include("complaints.urls")),
    path("", include("cases.urls")),
    path("", include("recovery.urls")),
    path("", include("reports.urls")),
    path("", include("organisations.urls")),
    path("", include("documents.urls")),
]

handler403 = "pulih.views.permission_denied"
handler404 = "pulih.views.page_not_found"
handler500 = "pulih.views.server_error"
