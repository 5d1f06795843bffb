"""The router of our routes in Wagtail's v3 API, and the limits every route shares."""

from ninja import Router

router = Router(tags=["complaints"])

MB = 1024 * 1024
# Page ids are 32-bit on PostgreSQL; a larger number is no page, and must not reach the database.
MAX_PAGE_ID = 2**31 - 1
SUBMISSION_CONTENT_TYPES = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")
# Room for the multipart headers around each file.
MULTIPART_OVERHEAD = 64 * 1024
LANGUAGES = ("nl", "en")
