"""Entry script for the frozen app: the same CLI as ``python -m unsit``."""

import sys

from unsit.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
