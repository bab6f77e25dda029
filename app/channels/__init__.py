"""Channel upload plug-ins: the shipped parcels' tracking sent to a shop's API (entry-point
group ``packdesk.channels``; see ``base`` and ``registry``)."""
