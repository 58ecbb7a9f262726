from django.urls import path

from webhooks.api import views

urlpatterns = [
    path("webhooks/", views.WebhookListView.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", views.WebhookView.as_view(), name="webhook"),
    path("webhooks/<int:pk>/deliveries/", views.DeliveryListView.as_view(), name="webhook-deliveries"),
    path(
        "webhooks/<int:pk>/deliveries/<uuid:delivery_id>/redeliver/",
        views.RedeliverView.as_view(),
        name="webhook-redeliver",
    ),
]
