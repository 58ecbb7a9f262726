"""OpenAPI generation: every authenticated operation documents the one error shape for 400, 401,
403, 404 and 409 (and 503 while the database is down), so a client generated from the schema knows
every answer it can get."""

from drf_spectacular.openapi import AutoSchema

from api.exceptions import ErrorSerializer

ERROR_CODES = ("400", "401", "403", "404", "409", "503")


class WorkbenchAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in ERROR_CODES:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses
