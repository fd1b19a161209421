"""FiguresVersion, and the triggers that count it up (see ``documents.models.FiguresVersion``).

PostgreSQL: one statement-level trigger per table and event, reading the units from the
statement's transition tables, notes them in ``figures_pending`` (keyed by the transaction:
no two transactions write the same row there, so none waits); a deferred constraint trigger
on that table counts the transaction's units up at its commit, all in one statement in the
units' order. So a version row is locked only while a transaction commits — a registry
import of minutes does not hold up every other write of its units until it ends — and two
committing transactions take their rows in the same order (no deadlock). One more trigger on
TRUNCATE (as a restore empties the tables; it fires no row trigger) counts up every
version. SQLite has row-level triggers only: one per table and event, each row counting up its
unit (it has no TRUNCATE: an emptied table is a DELETE of each row).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models

VERSION = "documents_figuresversion"
PENDING = "figures_pending"  # PostgreSQL only: the units a transaction changed, until it commits
# The tables whose rows the statistics are counted from, the column naming the unit, and the
# version each counts up.
COUNTED = [
    ("assessments_grouptally", "unit_id", ["tallies"]),
    ("assessments_leveltally", "unit_id", ["tallies"]),
    ("assessments_scoretally", "unit_id", ["tallies"]),
    ("enterprises_tierrecognition", "group_unit_id", ["recognitions"]),
]
# The tables the statistics take names from: any change counts up both versions of row 0.
NAMED = ["reference_region", "reference_industrycode"]
BOTH = ["tallies", "recognitions"]
EVENTS = {"insert": ["new"], "update": ["old", "new"], "delete": ["old"]}

POSTGRESQL_FUNCTIONS = f"""
CREATE FUNCTION figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    units text := '';
BEGIN
    IF TG_ARGV[0] = '' THEN
        units := 'SELECT 0::bigint';
    ELSE
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            units := format('SELECT %I FROM figures_old', TG_ARGV[0]);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            units := concat_ws(' UNION ', NULLIF(units, ''),
                               format('SELECT %I FROM figures_new', TG_ARGV[0]));
        END IF;
    END IF;
    -- TG_ARGV[1], TG_ARGV[2]: whether the tallies, the recognitions version is counted up.
    EXECUTE format(
        'INSERT INTO {PENDING} AS p (txid, unit_id, tallies, recognitions) '
        'SELECT DISTINCT txid_current(), unit, %L::boolean, %L::boolean '
        'FROM (%s) AS changed (unit) WHERE unit IS NOT NULL '
        'ON CONFLICT (txid, unit_id) DO UPDATE SET tallies = p.tallies OR excluded.tallies, '
        'recognitions = p.recognitions OR excluded.recognitions',
        TG_ARGV[1], TG_ARGV[2], units);
    RETURN NULL;
END
$$;
CREATE FUNCTION figures_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The first of the transaction's deferred events counts all its units up, in order;
    -- the others find nothing left.
    INSERT INTO {VERSION} AS v (unit_id, tallies, recognitions)
    SELECT unit_id, tallies::int, recognitions::int FROM {PENDING}
    WHERE txid = txid_current() ORDER BY unit_id
    ON CONFLICT (unit_id) DO UPDATE SET tallies = v.tallies + excluded.tallies,
        recognitions = v.recognitions + excluded.recognitions;
    DELETE FROM {PENDING} WHERE txid = txid_current();
    RETURN NULL;
END
$$;
CREATE TABLE {PENDING} (
    txid bigint NOT NULL,
    unit_id bigint NOT NULL,
    tallies boolean NOT NULL,
    recognitions boolean NOT NULL,
    PRIMARY KEY (txid, unit_id)
);
CREATE CONSTRAINT TRIGGER figures_pending_commit AFTER INSERT ON {PENDING}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION figures_commit();
"""


POSTGRESQL_TRUNCATED = f"""
CREATE FUNCTION figures_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {VERSION} AS v (unit_id, tallies, recognitions) VALUES (0, 1, 1)
    ON CONFLICT (unit_id) DO UPDATE
    SET tallies = v.tallies + 1, recognitions = v.recognitions + 1;
    UPDATE {VERSION} SET tallies = tallies + 1, recognitions = recognitions + 1
    WHERE unit_id <> 0;
    RETURN NULL;
END
$$;
"""


def _postgresql(table: str, column: str, fields: list[str], event: str) -> str:
    if event == "truncate":
        return (
            f"CREATE TRIGGER figures_{table}_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION figures_truncated();"
        )
    tables = " ".join(f"{kind.upper()} TABLE AS figures_{kind}" for kind in EVENTS[event])
    flags = ", ".join(f"'{str(field in fields).lower()}'" for field in BOTH)
    return (
        f"CREATE TRIGGER figures_{table}_{event} AFTER {event.upper()} ON {table} "
        f"REFERENCING {tables} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION figures_changed('{column}', {flags});"
    )


def _sqlite(table: str, column: str, fields: list[str], event: str) -> str:
    bumps = []
    counted_up = ", ".join(f"{field} = {field} + 1" for field in fields)
    for kind in EVENTS[event]:
        unit = f"{kind.upper()}.{column}" if column else "0"
        # No conflict clause: inside a trigger, that of the statement writing the row (the
        # tallies' upsert) would be applied instead of it.
        bumps.append(
            f"INSERT INTO {VERSION} (unit_id, tallies, recognitions) SELECT {unit}, 0, 0 "
            f"WHERE {unit} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {VERSION} WHERE unit_id = {unit}); "
            f"UPDATE {VERSION} SET {counted_up} WHERE unit_id = {unit};"
        )
    return (
        f"CREATE TRIGGER figures_{table}_{event} AFTER {event.upper()} ON {table} "
        f"BEGIN {' '.join(bumps)} END;"
    )


def _triggers(vendor: str):
    events = [*EVENTS, "truncate"] if vendor == "postgresql" else list(EVENTS)
    for table, column, fields in [*COUNTED, *((table, "", BOTH) for table in NAMED)]:
        for event in events:
            if column == "" and event == "insert":
                continue  # a new name changes no figure until something is counted under it
            yield table, column, fields, event


def trigger_names(vendor: str) -> set[str]:
    """The triggers this migration makes (a test checks they are all still there)."""
    names = {f"figures_{table}_{event}" for table, _c, _f, event in _triggers(vendor)}
    return names | ({"figures_pending_commit"} if vendor == "postgresql" else set())


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the function's format() placeholders are not the driver's.
        schema_editor.execute(POSTGRESQL_FUNCTIONS, params=None)
        schema_editor.execute(POSTGRESQL_TRUNCATED, params=None)
    for table, column, fields, event in _triggers(vendor):
        if vendor == "postgresql":
            schema_editor.execute(_postgresql(table, column, fields, event))
        elif vendor == "sqlite":
            schema_editor.execute(_sqlite(table, column, fields, event))
        else:  # the project runs on these two (settings.DATABASES)
            raise ImproperlyConfigured(
                f"统计版本触发器只支持 SQLite 与 PostgreSQL，当前数据库为 {vendor}。"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, _column, _fields, event in _triggers(vendor):
        suffix = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS figures_{table}_{event}{suffix};")
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {PENDING};")
        schema_editor.execute("DROP FUNCTION IF EXISTS figures_changed();")
        schema_editor.execute("DROP FUNCTION IF EXISTS figures_commit();")
        schema_editor.execute("DROP FUNCTION IF EXISTS figures_truncated();")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_package_build_job"),
        ("assessments", "0004_counted_tallies"),
        ("enterprises", "0008_recognition_groups"),
        ("reference", "0002_load_reference_data"),
    ]

    operations = [
        migrations.CreateModel(
            name="FiguresVersion",
            fields=[
                ("unit_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("tallies", models.BigIntegerField(default=0)),
                ("recognitions", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "统计输入版本", "verbose_name_plural": "统计输入版本"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
