from django.urls import path

from editor import dashboard, glossary_views, live, views

app_name = "editor"

urlpatterns = [
    path("documents/<int:document_id>/", views.editor, name="editor"),
    path("documents/<int:document_id>/rows/", views.editor_rows, name="editor-rows"),
    path("documents/<int:document_id>/progress/", views.progress, name="progress"),
    path("documents/<int:document_id>/bulk-approve/", views.bulk_approve, name="bulk-approve"),
    path("documents/<int:document_id>/cells/<str:language>/<int:position>/", views.cell, name="cell"),
    path(
        "documents/<int:document_id>/cells/<str:language>/<int:position>/save/",
        views.cell_save,
        name="cell-save",
    ),
    path(
        "documents/<int:document_id>/cells/<str:language>/<int:position>/compare/",
        views.cell_compare,
        name="cell-compare",
    ),
    path("documents/<int:document_id>/live/", live.poll, name="live"),
    path("documents/<int:document_id>/live/leave/", live.leave, name="live-leave"),
    path("documents/<int:document_id>/metrics/", live.metrics, name="metrics"),
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
    path("documents/<int:document_id>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("glossary/", glossary_views.glossary_list, name="glossary"),
    path("glossary/add/", glossary_views.glossary_add, name="glossary-add"),
    path("glossary/propose/", glossary_views.glossary_propose, name="glossary-propose"),
    path("glossary/import/", glossary_views.glossary_import, name="glossary-import"),
    path("glossary/export.<str:file_format>", glossary_views.glossary_export, name="glossary-export"),
    path("glossary/<int:term_id>/", glossary_views.glossary_change, name="glossary-change"),
    path("glossary/<int:term_id>/delete/", glossary_views.glossary_delete, name="glossary-delete"),
    path("translations/<int:translation_id>/history/", views.history, name="history"),
    path("documents/<int:document_id>/concordance/", views.concordance, name="concordance"),
    path("documents/<int:document_id>/pretranslate/", views.pretranslate, name="pretranslate"),
]
