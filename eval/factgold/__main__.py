"""``python -m factgold`` runs the command line."""

import sys

from factgold.cli import main

sys.exit(main())
