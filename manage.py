#!/usr/bin/env python3
"""Django's command-line utility; `zhiliang` is the same entry point once installed."""

import sys

from zhiliang.cli import main

if __name__ == "__main__":
    sys.exit(main())
