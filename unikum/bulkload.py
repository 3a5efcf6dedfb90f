"""Loading many rows into one PostgreSQL table at once.

PostgreSQL's manual ("Populating a Database") advises dropping a table's
indexes and foreign keys before a large load and re-creating them afterwards:
one sort per index and one join per foreign key instead of an index insertion
and a deferred check per row. For the million audience memberships of a first
register import that is 6 s instead of 37 s.

The cost is the lock: dropping a foreign key takes an ACCESS EXCLUSIVE lock on
the table and on every table it refers to (users, auth groups) until the
transaction ends, so nobody can read them meanwhile. That is harmless while a
system is first populated and not otherwise, so callers use it only for loads
larger than what the table already holds.
"""

import contextlib

from django.db import DatabaseError, connection, transaction

# How long to wait for the locks before loading into the indexed table instead:
# a running request holding a read lock must not make the load, and everyone
# queued behind it, wait.
LOCK_TIMEOUT = "2s"


def _definitions(cursor, table):
    """The table's unique and foreign-key constraints, and its other indexes but the primary key."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype IN ('u', 'f')"
        " ORDER BY contype DESC, conname",  # unique first: a foreign key to the same table needs its index
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid = %s::regclass AND NOT indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid AND conrelid = indrelid)"
        " ORDER BY 1",
        [table],
    )
    return constraints, cursor.fetchall()


def _drop(cursor, table, constraints, indexes) -> bool:
    """Drop them in a savepoint; False (and nothing dropped) if the locks or the rights are missing."""
    quote = connection.ops.quote_name
    cursor.execute("SELECT current_setting('lock_timeout')")
    (previous_timeout,) = cursor.fetchone()
    try:
        with transaction.atomic():
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
            if constraints:
                drops = ", ".join(f"DROP CONSTRAINT {quote(name)}" for name, _ in constraints)
                cursor.execute(f"ALTER TABLE {quote(table)} {drops}")
            if indexes:
                cursor.execute("DROP INDEX " + ", ".join(name for name, _ in indexes))
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous_timeout])
    except DatabaseError:  # lock not available in time, or not the table's owner
        return False
    return True


def _recreate(cursor, table, constraints, indexes):
    quote = connection.ops.quote_name
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for _, definition in indexes:
        cursor.execute(definition)


@contextlib.contextmanager
def without_indexes(model):
    """Drop ``model``'s table's secondary indexes, unique and foreign-key constraints for
    the block and re-create them after it, within the caller's transaction.

    Yields True if they were dropped. Yields False if they could not be (not
    PostgreSQL, the locks were not granted within ``LOCK_TIMEOUT``, the database
    user does not own the table): the block then loads into the indexed table.
    While they are dropped, nothing stops duplicates: the block must skip rows
    that exist. Re-creating them checks every row; a violation fails the block,
    and the savepoint around it puts everything back.
    """
    if connection.vendor != "postgresql":
        yield False
        return
    table = model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Deferred checks still pending on these tables would make ALTER TABLE refuse; run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        constraints, indexes = _definitions(cursor, table)
        dropped = _drop(cursor, table, constraints, indexes)
        yield dropped
        if dropped:
            _recreate(cursor, table, constraints, indexes)
