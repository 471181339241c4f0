"""The built-in contribution roles, and the old equal-contribution flag moved into the first.

Written with the migration's own models (never the app's), so it does the same whatever
later code looks like."""

from django.db import migrations

BUILT_IN_ROLES = [
    # (slug, name, symbol, order)
    ("equal-contribution", "equal contribution", "*", 1),
    ("corresponding-author", "corresponding author", "†", 2),
]


def create_roles_and_move_flag(apps, schema_editor):
    ContributionRole = apps.get_model("bibliography", "ContributionRole")
    Authorship = apps.get_model("bibliography", "Authorship")
    roles = {}
    for slug, name, symbol, order in BUILT_IN_ROLES:
        roles[slug], _ = ContributionRole.objects.get_or_create(
            slug=slug, defaults={"name": name, "symbol": symbol, "order": order}
        )
    through = Authorship.roles.through
    marked = Authorship.objects.filter(equal_contribution=True).values_list("pk", flat=True)
    through.objects.bulk_create(
        [
            through(authorship_id=pk, contributionrole_id=roles["equal-contribution"].pk)
            for pk in marked.iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def move_role_back_to_flag(apps, schema_editor):
    Authorship = apps.get_model("bibliography", "Authorship")
    Authorship.objects.filter(roles__slug="equal-contribution").update(equal_contribution=True)


class Migration(migrations.Migration):
    dependencies = [
        ("bibliography", "0006_author_variants_venue_series_award_givers"),
    ]

    operations = [
        migrations.RunPython(create_roles_and_move_flag, move_role_back_to_flag),
    ]
