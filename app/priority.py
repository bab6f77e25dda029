"""Background work that gives way to the scans.

A station's print worker draws every label and packing slip (ZPL, or a PDF page with
reportlab: some 30 ms of CPU an order) while the packer goes on with the next scan. On a PC
whose cores are busy (several station windows, or the shop's database on the same PC) that
drawing competed with the scans for the CPU, and a scan that found both cores drawing waited.

``lower_this_thread()``, called by the print worker on its own thread, lowers that thread's
priority: when a scan and a drawing both want a core, the scan gets it, and the drawing has
what is left. With an idle core nothing changes, and a label still prints as soon as it is
drawn.

- Linux: the thread's nice value, 10 steps up (each thread has its own; threads it starts
  inherit it). Under contention a nice-10 thread gets about a tenth of a normal one's share.
- Windows: ``THREAD_PRIORITY_BELOW_NORMAL``.
- Elsewhere (macOS): left as it is.

A thread lowered this way cannot be raised again without privileges: call it only on a thread
that does nothing else.
"""

from __future__ import annotations

import os
import sys
import threading

#: how many nice steps a background thread goes down on Linux
NICE_STEPS = 10
#: the nice value of the lowest priority
_LOWEST_NICE = 19


def lower_this_thread() -> bool:
    """Lower the calling thread's CPU priority; True when it was lowered."""
    if sys.platform.startswith("linux"):
        tid = threading.get_native_id()
        try:
            now = os.getpriority(os.PRIO_PROCESS, tid)
            os.setpriority(os.PRIO_PROCESS, tid, min(_LOWEST_NICE, now + NICE_STEPS))
        except OSError:
            return False
        return True
    if sys.platform == "win32":
        import ctypes

        below_normal = -1  # THREAD_PRIORITY_BELOW_NORMAL
        kernel32 = ctypes.windll.kernel32
        return bool(kernel32.SetThreadPriority(kernel32.GetCurrentThread(), below_normal))
    return False
