"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, on a free port, for one test.

Tests that want to see the mail the portal really sends use the `smtp_server` fixture
(exposed by tests/conftest.py). It starts the server, points the default mailer
(`settings.MAILERS`) at it for the test, and collects every message that arrives, parsed
with the standard `email` package, so a test reads headers and links from what arrived:

    def test_it(smtp_server):
        ...  # something that sends mail
        message = smtp_server.only(to="reader@example.org")
        message["List-Unsubscribe"], smtp_server.links(message)

It can also misbehave: `smtp_server.fail_after(2)` accepts two more messages and then
refuses every message with a temporary failure (451), as a mail server that goes down in the
middle of a run; `smtp_server.recover()` brings it back.
"""

import email
import email.policy
import logging
import re
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO: noise in a failing test's output.
logging.getLogger("mail.log").setLevel(logging.WARNING)

LINK = re.compile(r"https?://[^\s<>\"')]+")


@dataclass
class Received:
    """One message as it arrived: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes  # as it came over the wire, for what parsing would hide (encoded words)


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    accept_left: int | None = None  # None: accept everything
    failure_reply: str = "451 4.3.0 Mail server temporarily unavailable"
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            if self.accept_left is not None:
                if self.accept_left <= 0:
                    return self.failure_reply
                self.accept_left -= 1
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append(
                Received(
                    mail_from=envelope.mail_from,
                    rcpt_tos=list(envelope.rcpt_tos),
                    message=parsed,
                    raw=envelope.original_content or envelope.content,
                )
            )
        return "250 Message accepted for delivery"


class SMTPServer:
    """The running server and what it has received (see the module's docstring)."""

    def __init__(self) -> None:
        self.handler = _Handler()
        self.host = "127.0.0.1"
        self.port = _free_port(self.host)
        self.controller = Controller(self.handler, hostname=self.host, port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def mailer(self) -> dict:
        """A MAILERS entry that sends here."""
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": self.host, "port": self.port, "use_tls": False, "timeout": 10},
        }

    # What arrived ------------------------------------------------------------------------

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    @property
    def messages(self) -> list[EmailMessage]:
        return [item.message for item in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        """Messages whose envelope named `address` as a recipient."""
        return [item.message for item in self.received if address in item.rcpt_tos]

    def only(self, *, to: str) -> EmailMessage:
        """The one message to `to`; fails the test if there is not exactly one."""
        found = self.to(to)
        assert len(found) == 1, f"expected one message to {to}, got {len(found)}"
        return found[0]

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.received.clear()

    # Reading a message -------------------------------------------------------------------

    def raw_header(self, message: EmailMessage, name: str) -> str:
        """A header of `message` exactly as it arrived (unfolded, nothing decoded)."""
        [item] = [item for item in self.received if item.message is message]
        head = item.raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ").replace(b"\r\n\t", b" ")
        prefix = name.lower().encode() + b":"
        for line in head.split(b"\r\n"):
            if line.lower().startswith(prefix):
                return line[len(prefix) :].strip().decode("ascii")
        raise AssertionError(f"no {name} header")

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @staticmethod
    def html(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""

    @classmethod
    def links(cls, message: EmailMessage) -> list[str]:
        """Every web address in the plain-text part, in order."""
        return LINK.findall(cls.text(message))

    @classmethod
    def link(cls, message: EmailMessage, containing: str) -> str:
        """The one address (however often it is repeated) in the plain-text part that
        contains `containing`."""
        found = sorted({link for link in cls.links(message) if containing in link})
        assert len(found) == 1, f"expected one link with {containing!r}, got {found}"
        return found[0]

    # Misbehaving -------------------------------------------------------------------------

    def fail_after(self, count: int, *, reply: str | None = None) -> None:
        """Accept `count` more messages, then refuse each one with `reply` (a 451)."""
        with self.handler.lock:
            self.handler.accept_left = count
            if reply:
                self.handler.failure_reply = reply

    def recover(self) -> None:
        with self.handler.lock:
            self.handler.accept_left = None


def _free_port(host: str) -> int:
    # aiosmtpd's controller connects to its own port once started, so it needs a real number
    # up front: ask the system for a free one.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def smtp_server_running(settings):
    """The generator behind the `smtp_server` fixture: start, point MAILERS here, stop."""
    server = SMTPServer()
    server.start()
    settings.MAILERS = {"default": server.mailer}
    try:
        yield server
    finally:
        server.stop()
