"""Gunicorn settings for `make run` and for production (`gunicorn -c zhiliang/config/gunicorn.conf.py`).

Everything can be overridden with the usual GUNICORN_CMD_ARGS, or with HOST/PORT/WEB_WORKERS.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
wsgi_app = "zhiliang.config.wsgi:application"
# Two cores is the usual machine; threads keep a slow upload from blocking the other pages.
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# Parsing a large plan document on upload can take a few seconds.
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 10
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info").lower()
# Behind a reverse proxy, trust X-Forwarded-* from the addresses listed here (comma-separated).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
