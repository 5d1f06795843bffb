"""Development settings with a slow, shared mail stand-in: for tests/portal/test_shared_state.py."""

from portal.settings.dev import *  # noqa: F403

EMAIL_BACKEND = "tests.mail_backends.SlowCountingBackend"
# Windows of a day: two processes a second apart never straddle a window's edge.
KLACHTFORMULIEREN_SUBMIT_RATE = "10/d"
