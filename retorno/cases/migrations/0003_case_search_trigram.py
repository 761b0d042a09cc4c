"""On PostgreSQL, a trigram index answers the case list's name search (LIKE '%word%') without
reading every case; SQLite searches the (agency, search_name) index instead."""

from django.db import migrations


def trigram_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS cases_case_search_trgm ON cases_case USING gin (search_name gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_case_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_search_name")]

    operations = [migrations.RunPython(trigram_index, drop_trigram_index)]
