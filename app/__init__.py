"""Packdesk: the application without its Qt screens (see README "The code")."""

#: this program's version (pyproject.toml reads it from here). Stations record it, so an upgrade
#: of a shared database waits for stations still running an older one.
__version__ = "0.1.0"
