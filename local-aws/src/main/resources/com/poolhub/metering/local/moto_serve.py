"""moto in server mode, one request at a time.

moto's server runs each request on its own thread, and its DynamoDB backend checks a condition and
then writes without a lock, so two concurrent conditional writes to one item could both succeed.
DynamoDB applies each write to an item atomically and serializes transactions; running the requests
one after the other gives the same guarantee (moto holds the GIL for nearly all of a request anyway).

Usage: python3 moto_serve.py HOST PORT
"""
import signal
import sys
import threading

from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app


class OneAtATime:
    """A WSGI wrapper that runs each request, body included, under one lock."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    signal.signal(signal.SIGINT, lambda signum, frame: sys.exit(0))
    run_simple(host, port, OneAtATime(DomainDispatcherApplication(create_backend_app)), threaded=True)


if __name__ == "__main__":
    main()
