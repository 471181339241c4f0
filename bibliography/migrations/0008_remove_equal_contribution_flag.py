from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bibliography", "0007_contribution_roles"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="authorship",
            name="equal_contribution",
        ),
    ]
