from django.conf import settings
from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from workbench import views


def account_urls(*, password_reset: bool) -> list:
    """Django's account pages (logout, password change); the password reset by mail only where mail
    is set up (EMAIL_HOST): without mail it could only be abused, never used."""
    return [p for p in auth_urls.urlpatterns if password_reset or not p.name.startswith("password_reset")]


urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("ready/", views.ready, name="ready"),
    path("accounts/login/", views.ThrottledLoginView.as_view(), name="login"),
    path("accounts/", include(account_urls(password_reset=settings.PASSWORD_RESET_ENABLED))),
    path("admin/login/", views.admin_login, name="admin-login"),  # before the admin's own login
    path("admin/", admin.site.urls),
    # The API before the browser's pages: URLs resolve in order, and an API request (most requests)
    # no longer tries every editor pattern first (a third of a millisecond a request). No browser
    # page starts with api/.
    path("api/v1/", include("alignment.api.urls")),
    path("api/v1/", include("editor.api.urls")),
    path("api/v1/", include("jobs.api.urls")),
    path("api/v1/", include("webhooks.api.urls")),
    path("", include("editor.urls")),
    path("", include("alignment.urls")),
    path("", include("jobs.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

handler500 = "workbench.views.server_error"
