"""The document printer's PDF route: each slip written as a PDF file into a folder.

It is a printer like the others for the print queue: ``status()`` says whether the folder can
take a file (it exists or can be made, it is writable, its disk is not full): when not, jobs
wait with that reason. ``send_named`` writes the file whole or not at all (a temporary file,
then renamed), so a full disk never leaves half a slip; a failed write is a failed job with the
reason, retried by the queue and resendable.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

from app.devices.base import DeviceStatus
from app.devices.printers import PRINTER_STATUS_WORDS
from app.domain.errors import DeviceError

#: a folder with less free space than this is full (a slip is 20 to 200 KiB)
MIN_FREE_BYTES = 5 * 1024 * 1024
_UNSAFE = re.compile(r"[^\w.-]+")


class SlipWriteFailed(DeviceError):
    template = (
        "The slip {name} could not be written into {folder}: {reason}. Free some space or "
        "choose another folder in the device settings, then resend it."
    )


@runtime_checkable
class NamedSink(Protocol):
    """A printer that files each job under a name (the document folder)."""

    def send_named(self, name: str, payload: bytes, timeout: float = 10.0) -> None: ...


def file_name(kind: str, reference: str, job_id: int) -> str:
    """``packing_slip-PD-2024-000123-17.pdf``: the kind, the order and the job, file-safe."""
    parts = [_UNSAFE.sub("_", p).strip("_") for p in (kind, reference)]
    return "-".join([p for p in parts if p] + [str(job_id)]) + ".pdf"


class FolderPrinter:
    """Writes PDF jobs as files into ``folder``."""

    def __init__(self, folder: Path, min_free: int = MIN_FREE_BYTES) -> None:
        self.folder = folder
        self.min_free = min_free

    def status(self, timeout: float = 2.0) -> DeviceStatus:
        folder = str(self.folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not os.access(self.folder, os.W_OK):
                raise PermissionError("it is read-only")
            free = shutil.disk_usage(self.folder).free
        except OSError as exc:
            reason = exc.strerror or str(exc)
            return DeviceStatus(
                False, f"{PRINTER_STATUS_WORDS['slips_unusable']} ({folder}: {reason})"
            )
        if free < self.min_free:
            mib = free // 2**20
            return DeviceStatus(
                False, f"{PRINTER_STATUS_WORDS['slips_full']} ({folder}: {mib} MiB)"
            )
        return DeviceStatus(True, f"{PRINTER_STATUS_WORDS['slips_ready']} ({folder})")

    def send(self, payload: bytes, timeout: float = 10.0) -> None:
        self.send_named(file_name("document", "", abs(hash(payload)) % 10**8), payload, timeout)

    def send_named(self, name: str, payload: bytes, timeout: float = 10.0) -> None:
        if not payload.startswith(b"%PDF"):
            raise DeviceError("The document printer files PDF only; this job is not a PDF.")
        tmp = ""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".writing-", suffix=".pdf", dir=self.folder)
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.folder / name)
        except OSError as exc:
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise SlipWriteFailed(
                name=name, folder=str(self.folder), reason=exc.strerror or str(exc)
            ) from exc
