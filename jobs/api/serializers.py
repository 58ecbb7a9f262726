from rest_framework import serializers

from jobs.models import Job
from jobs.selectors import percent


class JobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    started_by = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "kind",
            "state",
            "started_by",
            "document",
            "language",
            "done",
            "total",
            "percent",
            "phase",
            "result",
            "error",
            "error_code",
            "attempts",
            "cancel_requested",
            "created_at",
            "started_at",
            "ended_at",
        ]

    def get_url(self, job) -> str:
        return f"/api/v1/jobs/{job.pk}/"

    def get_started_by(self, job) -> str | None:
        return job.started_by.get_username() if job.started_by else None

    def get_percent(self, job) -> int | None:
        return percent(job)
