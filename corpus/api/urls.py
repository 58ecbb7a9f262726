from django.urls import path
from rest_framework.routers import SimpleRouter

from corpus.api import views

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("translations", views.TranslationViewSet, basename="translation")
router.register("tokens", views.TokenViewSet, basename="token")

urlpatterns = [
    path("documents/<int:document_id>/segments/", views.SegmentList.as_view(), name="segment-list"),
    path("me/", views.MeView.as_view(), name="me"),
    path("exports/", views.ExportView.as_view(), name="export"),
    path("documents/<int:document_id>/imports/", views.ImportView.as_view(), name="import"),
    *router.urls,
]
