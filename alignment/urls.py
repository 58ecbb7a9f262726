from django.urls import path

from alignment import views

app_name = "alignment"

urlpatterns = [
    path("documents/<int:document_id>/alignment/", views.alignment_view, name="view"),
    path("documents/<int:document_id>/alignment/paste/", views.alignment_paste, name="paste"),
    path("documents/<int:document_id>/alignment/<str:action>/", views.alignment_fix, name="fix"),
]
