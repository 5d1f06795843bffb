"""B1 Dutch in the shipped texts (issue 16): the decision letter's conclusion now says what
its outcome means ("Ons oordeel: deels gegrond. Dat betekent ...", the {uitleg_uitkomst}
placeholder).

A mail text that editors saved as the old shipped decision letter, unchanged, becomes the new
one: it was the default, and the listing kept showing it as "Shipped default, unchanged". A
text editors changed is left exactly as they wrote it. The texts are frozen here, as they were
shipped, so that later changes to the defaults do not change what this migration does.
"""

from django.db import migrations

DECISION = "decision"
SUBJECT = "Ons besluit over uw klacht ({kenmerk})"
OLD_BODY = (
    "Beste {geadresseerde},\n"
    "\n"
    "Op {ontvangen_op} kregen wij uw klacht. Uw kenmerk is {kenmerk}.\n"
    "Wij hebben uw klacht onderzocht. In deze brief leest u wat wij hebben gevonden, wat wij daarvan vinden en wat onze conclusie is.\n"
    "\n"
    "Wat hebben wij gevonden?\n"
    "{bevindingen}\n"
    "\n"
    "Wat vinden wij daarvan?\n"
    "{oordeel}\n"
    "\n"
    "Onze conclusie\n"
    "Ons oordeel: {uitkomst}.\n"
    "\n"
    "Bent u het niet eens met hoe wij uw klacht hebben afgehandeld?\n"
    "Dan kunt u met uw klacht naar {ombudsman}. Dat kan tot {termijn_ombudsman} na de datum van deze brief. Op {website_ombudsman} leest u hoe dat gaat.\n"
    "\n"
    "Met vriendelijke groet,\n"
    "{ondertekening}"
)
# The same letter with the outcome's meaning after the outcome.
NEW_BODY = OLD_BODY.replace("Ons oordeel: {uitkomst}.\n", "Ons oordeel: {uitkomst}. {uitleg_uitkomst}\n")
assert NEW_BODY != OLD_BODY


def to_plain_language(apps, schema_editor):
    MailTemplate = apps.get_model("klachtformulieren", "MailTemplate")
    MailTemplate.objects.filter(kind=DECISION, subject=SUBJECT, body=OLD_BODY).update(body=NEW_BODY)


def back_to_the_old_text(apps, schema_editor):
    MailTemplate = apps.get_model("klachtformulieren", "MailTemplate")
    MailTemplate.objects.filter(kind=DECISION, subject=SUBJECT, body=NEW_BODY).update(body=OLD_BODY)


class Migration(migrations.Migration):
    dependencies = [
        ("klachtformulieren", "0022_incoming_mail_notice"),
    ]

    operations = [
        migrations.RunPython(to_plain_language, back_to_the_old_text),
    ]
