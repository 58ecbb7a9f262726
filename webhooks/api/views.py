"""Webhooks over the API: editors register, list, remove, read the delivery log and redeliver."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import ERROR_RESPONSES
from corpus import permissions
from corpus.models import Document
from webhooks import services
from webhooks.api import serializers as s
from webhooks.models import Webhook


def hooks(request):
    permissions.ensure(permissions.can_manage_webhooks(request.user))
    return Webhook.objects.select_related("document")


class WebhookListView(APIView):
    @extend_schema(
        summary="Webhooks (editors)", responses=ERROR_RESPONSES | {200: s.WebhookSerializer(many=True)}
    )
    def get(self, request):
        return Response(s.WebhookSerializer(hooks(request), many=True).data)

    @extend_schema(
        summary="Register a webhook for one document or all; the answer shows its secret, once",
        request=s.WebhookCreateSerializer,
        responses=ERROR_RESPONSES | {201: s.WebhookCreatedSerializer},
    )
    def post(self, request):
        permissions.ensure(permissions.can_manage_webhooks(request.user))
        serializer = s.WebhookCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = None
        if data.get("document"):
            document = get_object_or_404(Document.objects.visible_to(request.user), pk=data["document"])
        hook = services.webhook_create(
            url=data["url"], document=document, events=data["events"], actor=request.user
        )
        return Response(s.WebhookCreatedSerializer(hook).data, status=status.HTTP_201_CREATED)


class WebhookView(APIView):
    @extend_schema(summary="One webhook", responses=ERROR_RESPONSES | {200: s.WebhookSerializer})
    def get(self, request, pk: int):
        return Response(s.WebhookSerializer(get_object_or_404(hooks(request), pk=pk)).data)

    @extend_schema(summary="Remove a webhook and its delivery log", responses=ERROR_RESPONSES | {204: None})
    def delete(self, request, pk: int):
        services.webhook_delete(webhook=get_object_or_404(hooks(request), pk=pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListView(APIView):
    @extend_schema(
        summary="The delivery log of a webhook, newest first (last 100)",
        responses=ERROR_RESPONSES | {200: s.DeliverySerializer(many=True)},
    )
    def get(self, request, pk: int):
        hook = get_object_or_404(hooks(request), pk=pk)
        return Response(s.DeliverySerializer(hook.deliveries.all()[:100], many=True).data)


class RedeliverView(APIView):
    @extend_schema(
        summary="Deliver the same body again (a fresh round of attempts)",
        request=None,
        responses=ERROR_RESPONSES | {202: s.DeliverySerializer},
    )
    def post(self, request, pk: int, delivery_id):
        hook = get_object_or_404(hooks(request), pk=pk)
        delivery = get_object_or_404(hook.deliveries.all(), pk=delivery_id)
        delivery = services.delivery_redeliver(delivery=delivery, actor=request.user)
        return Response(s.DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
