"""The frozen app's entry script (PyInstaller): the same ``packdesk`` command as the console
script ``ui.launcher:main`` of a pip install."""

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
