"""live updates: PostgreSQL announces the changes other stations show (LISTEN/NOTIFY)

One statement-level AFTER trigger per table and event, with transition tables, calls
``packdesk_notify_change(kind, id column, watched columns)``: it sends one
``pg_notify('packdesk_changes', payload)`` per statement, delivered only when the transaction
commits. The payload is JSON: ``{"v": 1, "kind": "order", "ids": [1, 2], "sender": "..."}``;
past ``CAP`` ids (or 7,000 bytes) it sends ``"ids": null``, "refresh everything of this kind".
``sender`` is the writing connection's ``application_name`` (the engine sets it to
``packdesk:<station>:<process>``). An UPDATE with watched columns announces only the rows whose
watched columns changed (an order's status, a batch's claim), so a scan that only bumps a
counter stays silent. SQLite has no such thing: stations on one file poll
``PRAGMA data_version`` instead (``app/live/sqlite_watch.py``), so this revision does nothing there.

Revision ID: 0029_notify
Revises: 0026_dashboard
Create Date: 2026-12-06 20:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0029_notify"
down_revision: str | Sequence[str] | None = "0028_sync_conflicts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "packdesk_changes"
#: more ids than this in one statement: announce the kind alone ("refresh this kind")
CAP = 500

FUNCTION = f"""
CREATE OR REPLACE FUNCTION packdesk_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    kind text := TG_ARGV[0];
    id_col text := TG_ARGV[1];
    watched text[] := string_to_array(NULLIF(TG_ARGV[2], ''), ',');
    src text := CASE WHEN TG_OP = 'DELETE' THEN 'old_rows' ELSE 'new_rows' END;
    cond text := 'true';
    ids bigint[];
    found_rows boolean;
    payload text;
BEGIN
    IF TG_OP = 'UPDATE' AND watched IS NOT NULL THEN
        SELECT format('(%s) IS DISTINCT FROM (%s)',
                      string_agg(format('n.%I', c), ', '), string_agg(format('o.%I', c), ', '))
          INTO cond FROM unnest(watched) AS c;
        src := 'new_rows n JOIN old_rows o ON o.id = n.id';
    ELSE
        src := src || ' n';
    END IF;
    IF id_col = '' THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %s)', src, cond) INTO found_rows;
        IF NOT found_rows THEN
            RETURN NULL;
        END IF;
    ELSE
        EXECUTE format('SELECT array_agg(x) FROM (SELECT n.%I AS x FROM %s WHERE %s LIMIT %s) s',
                       id_col, src, cond, {CAP + 1})
          INTO ids;
        IF ids IS NULL THEN
            RETURN NULL;
        END IF;
        SELECT array_agg(DISTINCT x ORDER BY x) INTO ids FROM unnest(ids) AS x WHERE x IS NOT NULL;
        IF cardinality(ids) > {CAP} THEN
            ids := NULL;
        END IF;
    END IF;
    payload := json_build_object(
        'v', 1, 'kind', kind, 'ids', ids,
        'sender', coalesce(current_setting('application_name', true), ''))::text;
    IF octet_length(payload) > 7000 THEN
        payload := json_build_object(
            'v', 1, 'kind', kind, 'ids', NULL,
            'sender', left(coalesce(current_setting('application_name', true), ''), 63))::text;
    END IF;
    PERFORM pg_notify('{CHANNEL}', payload);
    RETURN NULL;
END
$fn$
"""

#: table, kind, id column ('' = no ids), columns an UPDATE must change to be announced ('' = any)
WATCHED = (
    ("orders", "order", "id", "status"),
    ("waves", "wave", "id", ""),
    ("pick_batches", "batch", "id", "status,claimed_by,claimed_station_id,assigned_to"),
    ("handovers", "handover", "id", ""),
    ("handover_parcels", "handover", "handover_id", ""),
    ("print_jobs", "print_job", "id", "status,printer,station_id,attempts"),
    ("settings", "setting", "", ""),
)

EVENTS = (
    ("insert", "INSERT", "NEW TABLE AS new_rows"),
    ("update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("delete", "DELETE", "OLD TABLE AS old_rows"),
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    """Upgrade schema."""
    if not _postgres():
        return
    op.execute(FUNCTION)
    for table, kind, id_col, watched in WATCHED:
        for suffix, event, referencing in EVENTS:
            op.execute(
                f"CREATE TRIGGER packdesk_notify_{suffix} AFTER {event} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION packdesk_notify_change('{kind}', '{id_col}', '{watched}')"
            )


def downgrade() -> None:
    """Downgrade schema."""
    if not _postgres():
        return
    for table, _kind, _id, _watched in reversed(WATCHED):
        for suffix, _event, _referencing in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS packdesk_notify_{suffix} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS packdesk_notify_change()")
