"""Where a case is found in the admin: the one place that knows the case screens' URL names,
for the case screens themselves, the dashboard and the mails that point to them."""

from django.urls import NoReverseMatch, reverse

INSPECT_URL_NAME = "klachtformulieren_cases:inspect"
INDEX_URL_NAME = "klachtformulieren_cases:index"


def case_inspect_url(complaint_pk):
    """The admin page of one case, or "" while the case admin is not installed."""
    try:
        return reverse(INSPECT_URL_NAME, args=[complaint_pk])
    except NoReverseMatch:
        return ""


def case_index_url():
    """The admin list of all cases, or "" while the case admin is not installed."""
    try:
        return reverse(INDEX_URL_NAME)
    except NoReverseMatch:
        return ""
