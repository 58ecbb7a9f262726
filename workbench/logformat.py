"""Log formatting that needs no Django (the logging config loads it before the apps)."""

import json
import logging


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the request fields when present."""

    FIELDS = ("request_id", "method", "path", "status", "user", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
