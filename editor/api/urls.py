from django.urls import path
from rest_framework.routers import SimpleRouter

from editor.api import memory, views

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("translations", views.TranslationViewSet, basename="translation")
router.register("tokens", views.TokenViewSet, basename="token")
router.register("glossary", memory.GlossaryViewSet, basename="glossary")

urlpatterns = [
    path("documents/<int:document_id>/segments/", views.SegmentList.as_view(), name="segment-list"),
    path("me/", views.MeView.as_view(), name="me"),
    path("exports/", views.ExportView.as_view(), name="export"),
    path("memory/lookup/", memory.MemoryLookupView.as_view(), name="memory-lookup"),
    path("memory/imports/", memory.MemoryImportView.as_view(), name="memory-import"),
    path("memory/concordance/", memory.ConcordanceView.as_view(), name="memory-concordance"),
    path("documents/<int:document_id>/pretranslate/", memory.PretranslateView.as_view(), name="pretranslate"),
    path("documents/<int:document_id>/imports/", views.ImportView.as_view(), name="import"),
    *router.urls,
]
