"""Realistic incoming e-mails, as common mail clients and mail servers write them."""

import mailbox
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tests.klachtformulieren.intake.sample_files import pdf_bytes, png_bytes


def reply_from_mail_client(reference, *, in_reply_to=None, sent_at=None):
    """A reply as Thunderbird/Outlook writes it: "Re:", our reference, the quoted letter below."""
    message = EmailMessage()
    message["From"] = "Jan de Klager <jan@example.org>"
    message["To"] = "klachten@proefdorp.example"
    message["Subject"] = f"Re: Ontvangstbevestiging van uw klacht [{reference}]"
    message["Message-ID"] = make_msgid(domain="example.org")
    if sent_at is not None:
        message["Date"] = format_datetime(sent_at)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(
        "Beste mevrouw,\n\nIk heb nog een foto gevonden van de situatie.\n\nMet vriendelijke groet,\nJan\n\n"
        "Op 24-11-2026 schreef Gemeente Proefdorp:\n> Wij hebben uw klacht ontvangen.\n> Kenmerk " + reference
    )
    message.add_alternative(
        "<html><body><p>Beste mevrouw,</p><p>Ik heb nog een foto gevonden.</p>"
        "<blockquote>Wij hebben uw klacht ontvangen.</blockquote></body></html>",
        subtype="html",
    )
    return message


def reply_with_only_in_reply_to(message_id):
    """A reply whose subject lost the reference (a phone's mail app), only In-Reply-To is left."""
    message = EmailMessage()
    message["From"] = "jan@example.org"
    message["To"] = "klachten@proefdorp.example"
    message["Subject"] = "Re: uw brief"
    message["In-Reply-To"] = message_id
    message["Message-ID"] = make_msgid(domain="example.org")
    message.set_content("Dank u, ik kom graag naar het gesprek.")
    return message


def forwarded_complaint():
    """A complaint a colleague forwards to the general address, with a scanned letter and a photo."""
    message = EmailMessage()
    message["From"] = "Piet Bakker <piet.bakker@example.net>"
    message["To"] = "info@proefdorp.example"
    message["Subject"] = "Fwd: Klacht over de afvalinzameling"
    message["Date"] = "Mon, 30 Nov 2026 09:15:00 +0100"
    message["Message-ID"] = make_msgid(domain="example.net")
    message.set_content(
        "---------- Doorgestuurd bericht ---------\n"
        "Mijn container is drie weken niet geleegd en niemand belt terug.\nPiet Bakker, Dorpsstraat 1"
    )
    message.add_attachment(pdf_bytes(), maintype="application", subtype="pdf", filename="brief.pdf")
    message.add_attachment(png_bytes(), maintype="image", subtype="png", filename="container.png")
    return message


def out_of_office(reference):
    message = EmailMessage()
    message["From"] = "jan@example.org"
    message["To"] = "klachten@proefdorp.example"
    message["Subject"] = f"Automatisch antwoord: Ontvangstbevestiging van uw klacht [{reference}]"
    message["Auto-Submitted"] = "auto-replied"
    message["X-Autoreply"] = "yes"
    message.set_content("Ik ben afwezig tot 7 december.")
    return message


def bounce_of(message_id, recipient="jan@example.invalid"):
    """A delivery status notification (RFC 3464) as Postfix writes it."""
    return f"""From: MAILER-DAEMON@mail.proefdorp.example (Mail Delivery System)
To: klachten@proefdorp.example
Subject: Undelivered Mail Returned to Sender
Date: Tue, 01 Dec 2026 10:00:00 +0100
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to {recipient}: 550 5.1.1 User unknown.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.proefdorp.example

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--B1
Content-Type: text/rfc822-headers

From: klachten@proefdorp.example
To: {recipient}
Subject: Ontvangstbevestiging van uw klacht
Message-ID: {message_id}

--B1--
""".encode()


MALFORMED = (
    b"From: =?x-unknown-charset?q?J=E9r=F4me?= <jerome@example.org>\n"
    b"Subject: =?utf-8?b?broken\n"
    b"Date: not a date\n"
    b'Content-Type: multipart/mixed; boundary="never-closed"\n\n'
    b"--never-closed\n"
    b"Content-Type: text/plain; charset=x-unknown-charset\n"
    b"Content-Transfer-Encoding: quoted-printable\n\n"
    b"Mijn klacht: de stoep is kapot =E9=\n"
    b"--never-closed\n"
    b"Content-Type: text/html\n\n"
    b"<script>alert(1)</script><p>Hallo</p>\n"
)


def with_attachment(name, data, maintype="application", subtype="octet-stream"):
    message = EmailMessage()
    message["From"] = "klager@example.org"
    message["Subject"] = "Klacht met bijlage"
    message.set_content("Zie de bijlage.")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def as_bytes(message):
    return message if isinstance(message, bytes) else message.as_bytes()


def maildir_with(path, *messages):
    box = mailbox.Maildir(path, create=True)
    for message in messages:
        box.add(mailbox.MaildirMessage(as_bytes(message)))
    return box
