from django.db import migrations


def forwards(apps, schema_editor):
    from zhiliang.credit.defaults import load_defaults

    load_defaults(
        record_type_model=apps.get_model("credit", "RecordType"),
        scheme_model=apps.get_model("credit", "GradingScheme"),
        criterion_model=apps.get_model("credit", "ListCriterion"),
    )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
