"""Working through a database outage: the station store, the offline journal and its replay.

See docs/offline.md."""
