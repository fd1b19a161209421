"""FiguresVersion, and the triggers that count it up (see ``documents.models.FiguresVersion``).

PostgreSQL: one statement-level trigger per table and event, reading the units from the
statement's transition tables (one upsert per statement, however many rows it wrote), and one
on TRUNCATE (as a restore empties the tables; it fires no row trigger) counting up every
version. SQLite has row-level triggers only: one per table and event, each row counting up its
unit (it has no TRUNCATE: an emptied table is a DELETE of each row).
"""

from django.db import migrations, models

VERSION = "documents_figuresversion"
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
    -- TG_ARGV[1]: what to count up, as the migration wrote it ("tallies = v.tallies + 1").
    EXECUTE format(
        'INSERT INTO {VERSION} AS v (unit_id, tallies, recognitions) '
        'SELECT DISTINCT unit, 1, 1 FROM (%s) AS changed (unit) WHERE unit IS NOT NULL '
        'ORDER BY unit '
        'ON CONFLICT (unit_id) DO UPDATE SET %s', units, TG_ARGV[1]);
    RETURN NULL;
END
$$;
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
    counted_up = ", ".join(f"{field} = v.{field} + 1" for field in fields)
    return (
        f"CREATE TRIGGER figures_{table}_{event} AFTER {event.upper()} ON {table} "
        f"REFERENCING {tables} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION figures_changed('{column}', '{counted_up}');"
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
    return {f"figures_{table}_{event}" for table, _c, _f, event in _triggers(vendor)}


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
        else:
            raise NotImplementedError(vendor)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, _column, _fields, event in _triggers(vendor):
        suffix = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS figures_{table}_{event}{suffix};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS figures_changed();")
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
