from django.urls import path

from jobs.api import views

urlpatterns = [path("jobs/<int:pk>/", views.JobView.as_view(), name="job")]
