"""moto in server mode, one request at a time.

moto's server runs each request on its own thread, and its DynamoDB backend checks a condition and
then writes without a lock, so two concurrent conditional writes to one item could both succeed.
DynamoDB applies each write to an item atomically and serializes transactions; running the requests
one after the other gives the same guarantee (moto holds the GIL for nearly all of a request anyway).

moto backs up every table a TransactWriteItems names, all of its items, before applying the
transaction, so each transaction costs as much as the tables it touches are large. Here the backup
holds only the items the transaction names, which is all a rollback needs to restore.

moto's Query also gathers every item of the table and sorts them all, then keeps the partition
asked for (or, on an index, the items whose index keys match) and sorts those again, and sizes
every item of the partition before applying the sort-key condition. Here a Query on the table reads
only the items of its partition that meet the sort-key condition, and a Query on an index skips the
first sort: the results are the same, at a cost that grows with what the query reads rather than
with the whole table.

Usage: python3 moto_serve.py HOST PORT
"""
import copy
import io
import signal
import sys
import threading
import types

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models.table import Table

from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app


class OneAtATime:
    """A WSGI wrapper that runs each request under one lock, its body read before the lock is taken.

    A client that sends its headers and stops before the end of its body (a caller interrupted in the
    middle of a write) must hold up only its own request: were the body read under the lock, every
    other caller would wait on that socket.
    """

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        _buffer_body(environ)
        with self.lock:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()


def _buffer_body(environ):
    """Reads the whole request body into memory and hands the application that copy."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))


_MISSING = object()


def _deepcopy_except_tables(value, memo=None):
    """moto's deepcopy of a whole table before a transaction becomes a no-op; items are still copied."""
    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _touched_items(backend, transact_items):
    """The (table, hash key, range key, copy of the stored item) of each item the transaction names."""
    saved = []
    for entry in transact_items:
        try:
            op = next(iter(entry.values()))
            table = backend.tables.get(op.get("TableName"))
            if table is None:
                continue
            attrs = op["Item"] if "Item" in op else op["Key"]
            key = {table.hash_key_attr: attrs[table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = attrs[table.range_key_attr]
            hash_key, range_key = backend.get_keys_value(table, key)
        except Exception:
            continue  # an invalid entry: moto rejects it before it writes anything for it
        partition_existed = hash_key in table.items
        current = table.get_item(hash_key, range_key)
        saved.append((table, hash_key, range_key, partition_existed,
                      _MISSING if current is None else copy.deepcopy(current)))
    return saved


def _restore(saved):
    for table, hash_key, range_key, partition_existed, item in reversed(saved):
        if range_key is None:
            if item is _MISSING:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item
            continue
        if item is _MISSING:
            partition = table.items.get(hash_key)
            if partition is not None:
                partition.pop(range_key, None)
                if not partition and not partition_existed:
                    del table.items[hash_key]
        else:
            table.items[hash_key][range_key] = item


def _patch_transactions():
    dynamodb_models.copy = types.SimpleNamespace(deepcopy=_deepcopy_except_tables)
    backend_class = dynamodb_models.DynamoDBBackend
    original = backend_class.transact_write_items

    def transact_write_items(self, transact_items):
        saved = _touched_items(self, transact_items)
        try:
            return original(self, transact_items)
        except BaseException:
            _restore(saved)
            raise

    backend_class.transact_write_items = transact_write_items


def _patch_queries():
    original = Table.query

    def query(self, hash_key, *args, **kwargs):
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name is None and hash_key is not None and self.range_key_attr:
            partition = list(self.items.get(hash_key, {}).values())
            comparison = args[0] if args else kwargs.get("range_comparison")
            bounds = args[1] if len(args) > 1 else kwargs.get("range_objs")
            if comparison:
                # the key condition on the sort key, applied before moto sorts and sizes every item
                partition = [item for item in partition if item.range_key.compare(comparison, bounds)]
            self.all_items = lambda: partition
        else:
            self.all_items = lambda: [item for group in self.items.values()
                                      for item in (group.values() if self.range_key_attr else [group])]
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    _patch_transactions()
    _patch_queries()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    signal.signal(signal.SIGINT, lambda signum, frame: sys.exit(0))
    run_simple(host, port, OneAtATime(DomainDispatcherApplication(create_backend_app)), threaded=True)


if __name__ == "__main__":
    main()
