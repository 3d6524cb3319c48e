"""gunicorn settings for SKM Portal: `gunicorn -c skm_portal/gunicorn.conf.py`.

Every value comes from an environment variable with a production default; the README
section "Deploying" explains them. The app servers keep no state of their own
(PostgreSQL, Redis and the media store hold everything), so any number of them can run
behind a load balancer.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


wsgi_app = "skm_portal.wsgi:application"
# Loopback by default: a reverse proxy / load balancer in front terminates TLS.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads let a worker overlap database waits; processes use the cores.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# PDF and export pages can take a few seconds; reports are built by the task worker.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Proxies whose X-Forwarded-* headers gunicorn believes (comma-separated addresses).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Errors to stderr. The access log is off unless GUNICORN_ACCESS_LOG names a file ("-" for
# stdout); its format leaves out the client address, the query string (one-time survey
# links) and the referrer, so it holds no personal data.
errorlog = "-"
# No control socket in the home folder: several servers may run on one machine (CI, bench).
control_socket_disable = True
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
