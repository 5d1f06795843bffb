"""Logging filters, loaded with the logging configuration (before the apps: no models here)."""

import re

# Personal data never reaches the logs: e-mail addresses (SMTPRecipientsRefused names the
# complainant's) and the secret of a status link (a 404 on /klachten/status/<token>/ is logged
# with its path, and so is one on the API's /api/v3/klachtformulieren/status/<token>/) are
# masked in every record the console handler writes.
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
STATUS_TOKEN_PATTERN = re.compile(r"(/(?:klachten|klachtformulieren)/status/)[^/\s\"']+")


def mask_personal_data(text):
    return STATUS_TOKEN_PATTERN.sub(r"\1[token]", EMAIL_PATTERN.sub("[e-mailadres]", text))


class MaskPersonalDataFilter:
    """A logging filter: the record's message, with its arguments filled in, masked."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
