"""How gunicorn serves the glossary; scripts/serve.sh, the server tests and the benchmarks use it.

    gunicorn -c python:glossary.serving --bind 127.0.0.1:8000 'glossary.api:create_app()'

Settings given on the command line (--workers, --threads...) override these.
"""

worker_class = "gthread"
# Two threads, not more: answers are computed in Python, one thread at a time per process; more
# threads only make each answer wait its turn longer (measured with bench/api.py).
threads = 2
control_socket_disable = True  # no control socket in the user's home


def post_worker_init(worker) -> None:
    """Each worker gets ready before its first request (see glossary.app.prepare_for_serving)."""
    from glossary.app import prepare_for_serving

    prepare_for_serving(worker.wsgi)
