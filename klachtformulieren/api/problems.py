"""Problem details (RFC 9457) in English and Dutch, and the refusals of the API."""

from django.http import HttpResponse
from django.utils.translation import override
from wagtail.api.v3.errors import PROBLEM_JSON

from klachtformulieren.api.router import LANGUAGES
from klachtformulieren.api.schemas import ComplaintProblem, FieldMessage

TITLES = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
}

FORM_NOT_FOUND = {
    "en": "There is no published complaint form with this number.",
    "nl": "Er is geen gepubliceerd klachtformulier met dit nummer.",
}
STATUS_NOT_FOUND = {
    "en": "This status link is unknown or no longer valid.",
    "nl": "Deze statuslink is onbekend of niet meer geldig.",
}
FIGURES_NOT_FOUND = {
    "en": "This site publishes no complaint figures for this municipality.",
    "nl": "Deze site publiceert geen klachtcijfers voor deze gemeente.",
}
YEAR_REFUSED = {
    "en": "There are no figures for the year you asked for. Ask for one of the years listed.",
    "nl": "Er zijn geen cijfers voor het jaar dat u vroeg. Vraag een van de genoemde jaren.",
}
STATUS_RATE_LIMITED = {
    "en": "You have looked up your complaint many times in a short while. Please try again later.",
    "nl": "U heeft uw klacht vaak achter elkaar opgezocht. Probeer het later opnieuw.",
}
UNSUPPORTED_MEDIA_TYPE = {
    "en": "Send the complaint as application/json, as multipart/form-data (needed for attachments) "
    "or as application/x-www-form-urlencoded.",
    "nl": "Stuur de klacht als application/json, als multipart/form-data (nodig voor bijlagen) "
    "of als application/x-www-form-urlencoded.",
}
UNREADABLE = {
    "en": "The request cannot be read: send one JSON object, or form data.",
    "nl": "Het verzoek is niet te lezen: stuur één JSON-object, of formuliergegevens.",
}
NOT_SCALAR = {
    "en": "Send text, a number, true or false, or a list of those.",
    "nl": "Stuur tekst, een getal, true of false, of een lijst daarvan.",
}
FOREIGN_ORIGIN = {
    "en": "Form data from another website is not accepted. Send the complaint from this site's form, "
    "or as application/json.",
    "nl": "Formuliergegevens van een andere website worden niet aangenomen. Stuur de klacht via het "
    "formulier op deze site, of als application/json.",
}
FORM_REFUSED = {
    "en": "The complaint has not been sent. Correct the answers listed in field_errors.",
    "nl": "De klacht is niet verstuurd. Verbeter de antwoorden die in field_errors staan.",
}


def too_large(page):
    if not page.uploads_allowed:
        return {
            "en": "The request is larger than this form accepts. This form takes no attachments.",
            "nl": "Het verzoek is groter dan dit formulier aanneemt. Dit formulier neemt geen bijlagen aan.",
        }
    count, size = page.max_files, page.max_file_size_mb
    return {
        "en": f"The request is larger than this form accepts: at most {count} files of {size} MB each.",
        "nl": f"Het verzoek is groter dan dit formulier aanneemt: hoogstens {count} bestanden van {size} MB.",
    }


def in_both_languages(message, params=None):
    """A message (a lazy translation, with ``%`` parameters as in a ValidationError) in Dutch and English."""
    texts = {}
    for language in LANGUAGES:
        with override(language):
            # As ValidationError does: the parameters first, so a lazy plural finds its number.
            texts[language] = str(message % params if params else message)
    return texts


def problem(status, texts, **extensions):
    body = ComplaintProblem(
        type="about:blank", title=TITLES[status], status=status, detail=texts["en"], detail_nl=texts["nl"], **extensions
    )
    return HttpResponse(body.model_dump_json(exclude_none=True), status=status, content_type=PROBLEM_JSON)


def form_field_errors(form):
    """Every message of a refused form, per field, in both languages."""
    return {
        name: [
            FieldMessage(code=error.code or "invalid", **in_both_languages(error.message, error.params))
            for error in errors
        ]
        for name, errors in form.errors.as_data().items()
    }
