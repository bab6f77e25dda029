"""Carrier plug-ins: where tracking numbers and carrier labels come from.

A plug-in implements ``app.carriers.base.CarrierPlugin`` and is registered under the entry-point
group ``packdesk.carriers``; a carrier row names the plug-in it uses (``carriers.plugin``). The
built-in ``pool`` plug-in hands out numbers loaded from the carrier's files and lets Packdesk
print the label itself.
"""
