"""The partner register: organisations' district (Sozialraum), when they joined and left the
network, and the list of sectors (Bereiche) that the coordinator can change, seeded with the
partners § 3 Abs. 2 KKG names."""
import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

# key, German label, named in § 3 Abs. 2 KKG – as they were when this migration was written.
DEFAULT_SECTORS = [
    ("youth_public", "Kinder- und Jugendhilfe (öffentlich)", True),
    ("youth_free", "Kinder- und Jugendhilfe (frei)", True),
    ("health_office", "Gesundheitsamt", True),
    ("maternity_clinic", "Geburtsklinik / Krankenhaus", True),
    ("paediatric_practice", "Kinder- und Jugendarztpraxis", True),
    ("midwives", "Hebammen und Familienhebammen (FGKiKP)", True),
    ("pregnancy_counselling", "Schwangerschafts(konflikt)beratung", True),
    ("early_intervention", "Frühförderung / SPZ", True),
    ("family_education", "Familienbildung / Familienzentrum", True),
    ("day_care", "Kindertagesbetreuung", True),
    ("counselling", "Beratungsstelle", True),
    ("social_services", "Sozialamt / Jobcenter / Familienkasse", True),
    ("school", "Schule", True),
    ("police", "Polizei / Ordnungsbehörde", True),
    ("family_court", "Familiengericht", True),
    ("violence_protection", "Gewaltschutz", True),
    ("migration", "Migration und Integration", False),
    ("multigenerational_house", "Mehrgenerationenhaus", False),
    ("other", "Sonstige", False),
]


def _sector_model(db):
    class Sector(peewee.Model):
        key = peewee.CharField(max_length=40, unique=True)
        label = peewee.CharField(max_length=200)
        counts_for_kkg = peewee.BooleanField(default=False)
        position = peewee.IntegerField(default=0)
        active = peewee.BooleanField(default=True)
        version = peewee.IntegerField(default=1)

        class Meta:
            database = db
            table_name = "sector"

    return Sector


def insert_default_sectors(db):
    """The seeded rows (also used by the tests, which empty every table between tests)."""
    sector = _sector_model(db)
    sector.insert_many([
        {"key": key, "label": label, "counts_for_kkg": kkg, "position": number}
        for number, (key, label, kkg) in enumerate(DEFAULT_SECTORS, start=1)
    ]).execute()


def upgrade(db):
    migrator = PostgresqlMigrator(db) if isinstance(db, peewee.PostgresqlDatabase) else SqliteMigrator(db)
    migrate(
        # A default in the database too: app servers still on the old code keep creating organisations
        # while the others upgrade.
        migrator.add_column("organisation", "district",
                            peewee.CharField(max_length=100, default="", constraints=[peewee.SQL("DEFAULT ''")])),
        migrator.add_column("organisation", "joined_on", peewee.DateField(null=True)),
        migrator.add_column("organisation", "left_on", peewee.DateField(null=True)),
        migrator.add_index("organisation", ("district",), False),
    )
    db.create_tables([_sector_model(db)])
    insert_default_sectors(db)
