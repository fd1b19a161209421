"""FiguresVersion, and the triggers that count it up (see ``documents.models.FiguresVersion``).

PostgreSQL: one statement-level trigger per table and event, reading the units from the
statement's transition tables (one upsert per statement, however many rows it wrote). SQLite
has row-level triggers only: one per table and event, each row counting up its unit.
"""

from django.db import migrations, models

VERSION = "documents_figuresversion"
# The tables whose rows the statistics are counted from, and the column naming the unit.
COUNTED = [
    ("assessments_grouptally", "unit_id"),
    ("assessments_leveltally", "unit_id"),
    ("assessments_scoretally", "unit_id"),
    ("enterprises_tierrecognition", "group_unit_id"),
]
# The tables the statistics take names from: any change counts up row 0.
NAMED = ["reference_region", "reference_industrycode"]
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
    EXECUTE format(
        'INSERT INTO {VERSION} AS v (unit_id, changes) '
        'SELECT DISTINCT unit, 1 FROM (%s) AS changed (unit) WHERE unit IS NOT NULL '
        'ORDER BY unit '
        'ON CONFLICT (unit_id) DO UPDATE SET changes = v.changes + 1', units);
    RETURN NULL;
END
$$;
"""


def _postgresql(table: str, column: str, event: str) -> str:
    tables = " ".join(f"{kind.upper()} TABLE AS figures_{kind}" for kind in EVENTS[event])
    return (
        f"CREATE TRIGGER figures_{table}_{event} AFTER {event.upper()} ON {table} "
        f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION figures_changed('{column}');"
    )


def _sqlite(table: str, column: str, event: str) -> str:
    bumps = []
    for kind in EVENTS[event]:
        unit = f"{kind.upper()}.{column}" if column else "0"
        # No conflict clause: inside a trigger, that of the statement writing the row (the
        # tallies' upsert) would be applied instead of it.
        bumps.append(
            f"INSERT INTO {VERSION} (unit_id, changes) SELECT {unit}, 0 "
            f"WHERE {unit} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {VERSION} WHERE unit_id = {unit}); "
            f"UPDATE {VERSION} SET changes = changes + 1 WHERE unit_id = {unit};"
        )
    return (
        f"CREATE TRIGGER figures_{table}_{event} AFTER {event.upper()} ON {table} "
        f"BEGIN {' '.join(bumps)} END;"
    )


def _triggers():
    for table, column in [*COUNTED, *((table, "") for table in NAMED)]:
        for event in EVENTS:
            if column == "" and event == "insert":
                continue  # a new name changes no figure until something is counted under it
            yield table, column, event


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the function's format() placeholders are not the driver's.
        schema_editor.execute(POSTGRESQL_FUNCTIONS, params=None)
    for table, column, event in _triggers():
        if vendor == "postgresql":
            schema_editor.execute(_postgresql(table, column, event))
        elif vendor == "sqlite":
            schema_editor.execute(_sqlite(table, column, event))
        else:
            raise NotImplementedError(vendor)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, _column, event in _triggers():
        suffix = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS figures_{table}_{event}{suffix};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS figures_changed();")


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
                ("changes", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "统计输入版本", "verbose_name_plural": "统计输入版本"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
