"""Test settings for the two app servers of tests/portal/test_two_servers.py."""

from portal.settings.test import *  # noqa: F403

# The real limit (10 submissions per client), in windows of a day instead of an hour: eleven
# submissions a few seconds apart never straddle a window's edge.
KLACHTFORMULIEREN_SUBMIT_RATE = "10/d"
