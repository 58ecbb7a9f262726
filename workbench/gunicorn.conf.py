"""gunicorn settings for production (scripts/serve-production). Everything can be overridden from the
environment: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT."""

import gc
import importlib
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


def post_worker_init(worker):
    """Before a worker takes requests, load what its first requests would otherwise load while
    holding the GIL and stalling every other thread of the worker (seconds on a loaded machine):
    the URLconf with every view it imports (Django loads it on the first request), and jieba's
    dictionary (0.65 s; the first approval's memory sync tokenizes its source). Then freeze what is
    loaded, so the garbage collector's full passes during requests skip it. A worker restarted by
    max_requests does the same before it serves."""
    # Imported here, not at the top: gunicorn reads this file before Django is set up; this hook
    # runs in the worker after the application (and so Django) is loaded.
    from django.conf import settings

    from corpus.segmentation import load_tokenizer

    importlib.import_module(settings.ROOT_URLCONF)
    load_tokenizer()
    gc.freeze()
