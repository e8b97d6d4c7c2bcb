"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py "web:create_app()"``.

Threads wait on the network, not on parsing (each parse runs in the sandbox worker), so a
few processes with many threads serve many citizens. Headers are gathered without holding a
thread and must arrive within INTAKE_HEADER_SECONDS; a body must arrive within
INTAKE_BODY_SECONDS (web.server). Every value can be changed through the environment.
For the internet, put a buffering reverse proxy in front (see the README's Security section).
"""

import os

bind = os.environ.get("INTAKE_BIND", "127.0.0.1:8000")
worker_class = "web.server.HeaderBufferingWorker"
workers = int(os.environ.get("INTAKE_WORKERS", "2"))
threads = int(os.environ.get("INTAKE_THREADS", "16"))
# A worker that stops answering its arbiter for this long is restarted.
timeout = int(os.environ.get("INTAKE_WORKER_TIMEOUT", "90"))
graceful_timeout = 30
keepalive = 5
# Request line and header limits (gunicorn refuses anything bigger with 400 or 431).
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
# A fresh worker now and then, so no slow leak can grow for ever.
max_requests = int(os.environ.get("INTAKE_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("INTAKE_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# No control socket in the home folder: nothing to clash with when several servers run.
control_socket_disable = True
