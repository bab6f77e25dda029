"""``packdesk simulate``: a whole shift without a window, over the real services and the device
emulators.

The shift is what the people of a small warehouse do, in order: a supervisor (the demo admin)
imports the shop's order file through intake and allocates what the checks released; packers
at their stations open each order by scanning it, scan its items (a few wrong scans on purpose,
which the station must refuse), put the parcel on the emulated scale (a few wrong weights on
purpose, which must stop at the scale until a supervisor scans a badge), and the labels and
slips go through the print queue to the emulated printers; the shipper scans every parcel onto
its carrier's handover, closes the manifests, and tracking goes back to the shop.

Modules: ``plan`` (what the seed decides), ``world`` (setting up the demo warehouse and what
the simulated people can see), ``orders_file`` (the shop's order file), ``station`` (one pack
station), ``ship_steps`` (handover and tracking export), ``shift`` (the whole run, its
stations as processes), ``report`` (the summary and the JSON). Only the command line and the
benchmarks import this package.
"""
