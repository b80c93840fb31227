"""Application entry point (placeholder until the main window lands)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="akash-desk")
    parser.add_argument("--network", choices=["mainnet", "sandbox", "local"], default=None)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args(argv)
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    label = QLabel(f"Akash Desk — network: {args.network or 'local'} (the main window is being built)")
    label.resize(520, 120)
    label.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
