"""One error hierarchy. Messages are written for the operator and shown as they are.

Each error keeps an English message *template* and its parameters separately, so the UI can
translate the template (``ui/i18n``) and fill in the same parameters. Anything that is not a
``PackdeskError`` is a bug and reaches the crash dialog.
"""

from __future__ import annotations

from typing import Any


class PackdeskError(Exception):
    """An error the operator can read and act on."""

    template: str = "{detail}"

    def __init__(self, detail: str = "", /, **params: Any) -> None:
        self.params: dict[str, Any] = {"detail": detail, **params}
        if params and type(self).template == "{detail}":
            # ValidationError("The SKU {sku} ...", sku=...): the sentence is this error's
            # template, translated on screen and filled with the same values
            self.template = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return str(self.params.get("detail") or self.template)


class ValidationError(PackdeskError):
    """Input that breaks a rule; the message says which."""


class NotFound(PackdeskError):
    template = "{what} {key} was not found."


#: what ``NotFound`` names (collected for translation: screens translate the parameter)
NOT_FOUND_WORDS = {
    "order": "Order",
    "order_line": "Order line",
    "print_job": "Print job",
    "user": "User",
    "station": "Station",
    "location": "Location",
    "product": "Product",
    "lot": "Lot",
    "reservation": "Reservation",
    "mapping": "Product mapping",
    "channel": "Channel",
}


class IllegalTransition(PackdeskError):
    template = "Order {order} cannot go from {current} to {target}."


class StockError(PackdeskError):
    """A stock rule would be broken."""


class InsufficientStock(StockError):
    template = (
        "Not enough stock of {sku}: {wanted} wanted, {available} available. "
        "Check the location or count the stock again."
    )


class NegativeStock(StockError):
    template = (
        "This movement would leave {sku} at {location} below zero "
        "({on_hand} on hand, change {delta}). Count the location before moving stock."
    )


class OverReservation(StockError):
    template = (
        "Cannot reserve {qty} of {sku} at {location}: only {free} is free "
        "({on_hand} on hand, {reserved} already reserved)."
    )


class StockReserved(StockError):
    """Units promised to orders cannot be taken away by an adjustment, a count or a move."""

    template = (
        "Cannot take {qty} of {sku} from {location}: {reserved} of the {on_hand} on hand are "
        "reserved for orders, so only {free} can go. Release those orders' stock first, or "
        "take fewer."
    )


class AuthError(PackdeskError):
    """Log-in failed."""


class BadCredentials(AuthError):
    template = "Wrong user name or password. Check them and try again."


class BadBadge(AuthError):
    template = "This badge or PIN is not valid. Scan your badge again and type your PIN."


class AccountDisabled(AuthError):
    template = "The account {user} is disabled. Ask a supervisor to enable it."


class LoginLocked(AuthError):
    """Too many failed log-ins for a user name or badge: the next try must wait (``seconds``,
    shown as ``wait``)."""

    template = (
        "Too many failed log-ins with this name or badge. Try again in {wait} (minutes:seconds), "
        "or ask a supervisor to check the account."
    )


class PermissionDenied(PackdeskError):
    template = "{user} ({role}) may not {action}. Ask a supervisor."


class ConfigError(PackdeskError):
    """The settings file or a command-line option is wrong."""


class DatabaseError(PackdeskError):
    """The database cannot be used as it is."""


class DatabaseTooNew(DatabaseError):
    template = (
        "The database was created by a newer Packdesk (schema {found}, this program knows up to "
        "{known}). Update Packdesk on this station before using this database."
    )


class DatabaseUnavailable(DatabaseError):
    template = (
        "Cannot reach the database ({where}): {reason}. Check the network or the database "
        "server, then try again; nothing was saved in the meantime."
    )
    #: the connection was dead before the action's first statement reached the server (the
    #: action may safely run again on a new connection)
    stale_connection = False


class DatabaseBusy(DatabaseError):
    """Another station held the data this action needed, and still did after a few tries."""

    template = (
        "The database is busy (another station holds it). Nothing was saved; try again in a moment."
    )


class MigrationFailed(DatabaseError):
    template = (
        "The database upgrade failed at step {revision}: {reason}. It was undone: the database "
        "is exactly as it was before. Keep this message for support and use the previous "
        "Packdesk version until the upgrade is fixed."
    )


class MigrationFailedLocal(MigrationFailed):
    template = (
        "The database upgrade failed at step {revision}: {reason}. It was undone: the database "
        "is exactly as it was before, and a copy from before the upgrade is in {backup}. Keep "
        "this message for support and use the previous Packdesk version until the upgrade is "
        "fixed."
    )


class UpgradeInProgress(DatabaseError):
    template = (
        "Another station ({holder}) is upgrading the database; waited {seconds} s. "
        "Try again in a minute."
    )


class OlderStationsOnline(DatabaseError):
    template = (
        "This Packdesk ({version}) must upgrade the shared database, but older Packdesk "
        "versions were in use in the last {minutes} minutes on: {stations}. They would stop "
        "working. Close Packdesk on those stations and update them first, and back up the "
        "database with 'packdesk db backup FILE'. To upgrade anyway, start Packdesk with "
        "--force-upgrade (or set PACKDESK_FORCE_UPGRADE=1)."
    )


class BackupFailed(DatabaseError):
    template = "The backup to {target} failed: {reason}. The database itself was not changed."


class PgDumpMissing(DatabaseError):
    template = (
        "pg_dump was not found on this PC, so the shared database cannot be backed up from here. "
        "Install the PostgreSQL client tools (the same major version as the server) and put "
        "pg_dump on the PATH, or back up on the database server with pg_dump."
    )


class DeviceError(PackdeskError):
    """A scanner, scale or printer failed; the message says what to do."""


class UnknownBarcode(PackdeskError):
    template = "Unknown barcode {code}. It is not a product, location, tote or order here."


class WrongItemScanned(PackdeskError):
    template = "Wrong item: {code} is not in this order. Put it aside and scan the next item."


class ImportFileError(PackdeskError):
    """A whole file could not be read."""


class MailError(PackdeskError):
    """A customer notice could not be sent; ``permanent``: sending it again cannot help."""

    permanent = False


class MailServerUnreachable(MailError):
    template = (
        "The mail server {server} cannot be reached ({error}). Check its host and port in the "
        "notice settings, and this PC's network."
    )


class MailLoginRefused(MailError):
    template = (
        "The mail server refused the log-in of {user} ({error}). Check the user name and "
        "password in the notice settings."
    )


class MailTlsFailed(MailError):
    template = (
        "The secure connection (STARTTLS) to the mail server {server} failed ({error}). Check "
        "the port and the STARTTLS setting."
    )


class MailSenderRefused(MailError):
    template = (
        "The mail server refused the sender {address} ({error}). Check the from address in the "
        "notice settings."
    )


class MailAddressRefused(MailError):
    template = (
        "The mail server refused the address {address} ({error}). Correct the customer's "
        "e-mail address, then retry the notice."
    )
    permanent = True


class MailRefused(MailError):
    template = "The mail server refused the message ({error})."


class MailDeferred(MailError):
    template = (
        "The mail server asked to try again later ({error}); the notice is sent again by itself."
    )


class MailNotConfigured(MailError):
    template = (
        "Notices are not set up: give the mail server in the notice settings "
        "(packdesk notices smtp set)."
    )
