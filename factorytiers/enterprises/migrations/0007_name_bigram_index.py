from django.db import migrations

# A search of two characters (“机械”, “煤业”: the commonest in Chinese names) has no trigram,
# so the trigram index of 0005 cannot serve it. On PostgreSQL the search asks instead whether
# the name's two-character pieces hold it (``enterprises.selectors.NameHasPair``), which this
# GIN index serves. PostgreSQL only; SQLite keeps its plain scan. GIN drops repeated pieces
# itself. The function is declared dear (COST): computed row by row it took about 25 µs a name,
# so the planner is to read its index rather than filter a unit's rows with it.
FUNCTION = """
CREATE OR REPLACE FUNCTION enterprise_name_bigrams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
AS $$ SELECT ARRAY(SELECT substr(name, i, 2) FROM generate_series(1, char_length(name) - 1) AS i) $$
"""
INDEX = "enterprise_name_upper_bigrams"


def add_bigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON enterprises_enterprise "
        "USING gin (enterprise_name_bigrams(UPPER(name::text)))"
    )


def drop_bigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS enterprise_name_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0006_list_and_search_indexes"),
    ]

    operations = [
        migrations.RunPython(add_bigram_index, drop_bigram_index),
    ]
