from django.urls import path

from editor import views

app_name = "editor"

urlpatterns = [
    path("documents/<int:document_id>/", views.editor, name="editor"),
    path("documents/<int:document_id>/rows/", views.editor_rows, name="editor-rows"),
    path("documents/<int:document_id>/progress/", views.progress, name="progress"),
    path("documents/<int:document_id>/metrics/", views.metrics, name="metrics"),
    path("documents/<int:document_id>/bulk-approve/", views.bulk_approve, name="bulk-approve"),
    path("documents/<int:document_id>/cells/<str:language>/<int:position>/", views.cell, name="cell"),
    path(
        "documents/<int:document_id>/cells/<str:language>/<int:position>/save/",
        views.cell_save,
        name="cell-save",
    ),
    path(
        "documents/<int:document_id>/cells/<str:language>/<int:position>/matches/",
        views.cell_matches,
        name="matches",
    ),
    path(
        "documents/<int:document_id>/cells/<str:language>/<int:position>/<str:action>/",
        views.cell_action,
        name="cell-action",
    ),
    path("translations/<int:translation_id>/history/", views.history, name="history"),
    path("documents/<int:document_id>/concordance/", views.concordance, name="concordance"),
    path("documents/<int:document_id>/pretranslate/", views.pretranslate, name="pretranslate"),
]
