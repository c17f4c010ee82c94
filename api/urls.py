"""/api/v1/: one router; each domain adds its views in its own module of this app."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import cases
from .auth import MyTokensView, MyTokenView, TokenView
from .complaints import urlpatterns as complaint_urls
from .recovery import urlpatterns as recovery_urls
from .standard import StandardView
from .surveys import urlpatterns as survey_urls

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False

# The satisfaction endpoints first: a customer's survey answer is the busiest request and Django
# tries the patterns in order (no other pattern here begins with their paths).
urlpatterns = [
    *survey_urls,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/", MyTokensView.as_view(), name="api-my-tokens"),
    path("auth/tokens/<str:id>/", MyTokenView.as_view(), name="api-my-token"),
    path("standard/", StandardView.as_view(), name="api-standard"),
]
urlpatterns += router.urls
urlpatterns += complaint_urls
urlpatterns += cases.urlpatterns
urlpatterns += recovery_urls
