"""Keeping the garbage collector's long pauses out of the scans.

Python's cyclic garbage collector now and then walks every object the process holds (its oldest
generation). A station holds some hundreds of thousands from the start (Qt's and SQLAlchemy's
classes, the app's modules, the compiled statements): that walk takes 50 to 100 ms, and the
scan it falls on takes that much longer. Those scans were a station's slowest.

``settle()`` is called once the station is set up (after log-in, before the first scan): it
collects what start-up left behind and moves everything that is left to the permanent
generation (``gc.freeze``), which the collector no longer walks. What the station makes later
(orders, views, sessions) is collected as before; only the walk over the start-up objects goes.
Called again (another log-in), it first gives the previous frozen objects back to the collector,
so a window left behind at log-out is not kept for ever.
"""

from __future__ import annotations

import gc


def settle() -> int:
    """Collect, then freeze what is left; the number of objects frozen."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
