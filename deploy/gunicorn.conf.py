"""gunicorn settings for the web process (deploy/run-web.sh). Every value can be overridden
from the environment, so one file serves a laptop, the CI smoke test and production."""

import multiprocessing
import os

# Loopback by default: a reverse proxy (nginx) terminates TLS in front of gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))

# The classic 2 x cores + 1 sync workers; requests are short and mostly wait on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Imports and exports of a few thousand rows run in the request when no broker is configured.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes the site down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# Logs, access log included, go to stdout/stderr: systemd's journal or the Procfile runner
# collects them. %(L)s is the request time in seconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss "%(a)s"'
capture_output = True

# X-Forwarded-Proto is believed only from the proxy's address (Django reads it through
# SECURE_PROXY_SSL_HEADER to know the request came in over HTTPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# /dev/shm keeps the worker heartbeat off a slow or full disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
