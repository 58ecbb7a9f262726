from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import ERROR_RESPONSES
from corpus.errors import InvalidTransition
from jobs import runner
from jobs.api.serializers import JobSerializer
from jobs.selectors import job_for


def accepted(job) -> Response:
    """202 Accepted with the job and where to follow it (used by every view that starts a job)."""
    url = f"/api/v1/jobs/{job.pk}/"
    return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED, headers={"Location": url})


class JobView(APIView):
    @extend_schema(
        summary="A background job: state, progress, result or error",
        responses=ERROR_RESPONSES | {200: JobSerializer},
    )
    def get(self, request, pk: int):
        return Response(JobSerializer(runner.settle(job_for(request.user, pk))).data)

    @extend_schema(
        summary="Cancel a job: a queued one at once, a running one at its next batch (all its work is rolled back)",
        responses=ERROR_RESPONSES | {202: JobSerializer},
    )
    def delete(self, request, pk: int):
        job = job_for(request.user, pk)
        if job.finished:
            raise InvalidTransition(f"The job has already finished ({job.state}).")
        job = runner.cancel(job)
        return Response(JobSerializer(job_for(request.user, pk)).data, status=status.HTTP_202_ACCEPTED)
