#!/usr/bin/env python
"""Same as the `kryptowelt` command; kept for tools that expect a manage.py."""

from kryptowelt.cli import main

if __name__ == "__main__":
    main()
