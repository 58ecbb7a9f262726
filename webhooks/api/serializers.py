from rest_framework import serializers

from webhooks.events import EVENTS
from webhooks.models import Delivery, Webhook


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Webhook
        fields = ["id", "url", "document", "events", "active", "created_at"]


class WebhookCreatedSerializer(WebhookSerializer):
    """Only the answer to the creation carries the secret: it is shown once."""

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    document = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS), required=False, default=list
    )


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "state",
            "attempts",
            "response_code",
            "error",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "body",
        ]
