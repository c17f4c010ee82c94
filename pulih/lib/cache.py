"""Django's database cache with an atomic `incr`, so a counter shared by every process (the
rate limits) counts exactly: the row is locked (PostgreSQL: SELECT … FOR UPDATE; SQLite:
the IMMEDIATE transaction holds the write lock) between reading and writing the value.
Django's own `incr` reads and writes in two steps, and concurrent workers lose counts."""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        q = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {q('value')}, {q('expires')} FROM {q(self._table)} "  # noqa: S608
                f"WHERE {q('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(row[1], connection):
                raise ValueError(f"Key '{key}' not found.")
            raw = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(raw.encode())) + delta  # noqa: S301 - our own rows
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {q(self._table)} SET {q('value')} = %s "  # noqa: S608
                f"WHERE {q('cache_key')} = %s",
                [encoded, key],
            )
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)

    @staticmethod
    def _expired(expires, connection) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression)
        for converter in converters + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires < now()
