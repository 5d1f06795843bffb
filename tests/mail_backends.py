"""Mail servers as the tests need them: down, refusing, slow to say goodbye, counting."""

import smtplib
import threading
import time

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the address for good (550)."""

    def send_messages(self, email_messages):
        recipients = {address: (550, b"5.1.1 User unknown") for message in email_messages for address in message.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


class GreylistingBackend(BaseEmailBackend):
    """A mail server that says "try again later" (451)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"4.7.1 Greylisted, try again later")


class HangsUpAfterAcceptingBackend(LocmemBackend):
    """Accepts the mail, then fails to say goodbye (as a worker killed while waiting for QUIT)."""

    def close(self):
        raise smtplib.SMTPServerDisconnected("Connection lost during QUIT")


class SlowCountingBackend(LocmemBackend):
    """A slow server shared by threads: every message is kept, so a mail sent twice shows."""

    lock = threading.Lock()

    def send_messages(self, messages):
        time.sleep(0.005)
        with self.lock:
            return super().send_messages(messages)


class ExplodesIfOpenedBackend(BaseEmailBackend):
    """No web request may talk to the mail server."""

    def open(self):
        raise AssertionError("A mail connection was opened")

    def send_messages(self, email_messages):
        raise AssertionError("A mail was sent")


__all__ = ["mail"]
