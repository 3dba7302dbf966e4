"""``python -m tunnelkit``: the same as the ``tunnelkit`` command."""
import sys

from tunnelkit.cli import main

sys.exit(main())
