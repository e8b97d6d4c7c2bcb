"""``python -m intake`` runs the same command as the ``intake`` script."""

import sys

from intake.cli import main

sys.exit(main())
