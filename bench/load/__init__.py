"""The load benchmark (``make load``, ``make load-burst``): a small three-host layout on one machine.

It starts everything of its own on loopback — a PostgreSQL database on the machine's server,
a Redis server on another port than the shared one, moto's S3 server with a bucket, two
gunicorn web hosts, Celery check workers and the sweeper — drives them with locust using
real packets built from the shared corpus, and writes ``test-output/load.json``. It is a
benchmark, not a test: it judges figures against targets and says PASS or FAIL.

Modules: ``processes`` starts and stops what runs (each in a process group of its own),
``packets`` builds the packets, ``locustfile`` is what locust runs, ``figures`` turns the
records and the database into numbers, and ``__main__`` is the plan of the runs.
"""
