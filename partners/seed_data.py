"""Seed data: the public tasks municipalities commonly outsource, a starting list editors can change."""

from partners.models import Topic

TOPICS = [
    ("Jeugdhulp", "jeugdhulp"),
    ("Wmo en ondersteuning", "wmo"),
    ("Werk en inkomen", "werk-en-inkomen"),
    ("Schuldhulp", "schuldhulp"),
    ("Afval", "afval"),
    ("Belastingen", "belastingen"),
    ("Leerlingenvervoer", "leerlingenvervoer"),
    ("Veiligheid en gezondheid", "veiligheid-en-gezondheid"),
]


def seed_topics():
    return {slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in TOPICS}
