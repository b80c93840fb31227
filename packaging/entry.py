"""The frozen executable's entry point: the desktop app, or (with --localnet-child) the local node."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
