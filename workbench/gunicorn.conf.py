"""gunicorn settings for production (scripts/serve-production). Everything can be overridden from the
environment: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers: a long streaming export occupies one thread, not a whole worker, and the worker
# keeps reporting to the arbiter, so the timeout below is about hung workers, not long downloads.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# No control socket: several gunicorns of one checkout would share its path in XDG_RUNTIME_DIR.
control_socket_disable = True
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
