from django.urls import path

from alignment.api import views

urlpatterns = [
    path("documents/<int:document_id>/alignments/", views.AlignmentView.as_view(), name="alignment"),
    path("translations/merge/", views.MergeView.as_view(), name="translation-merge"),
    path("translations/<int:pk>/split/", views.SplitView.as_view(), name="translation-split"),
    path("translations/<int:pk>/move/", views.MoveView.as_view(), name="translation-move"),
]
