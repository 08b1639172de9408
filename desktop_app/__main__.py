"""`python -m desktop_app` runs the command-line interface."""

import sys

from desktop_app.cli import main

sys.exit(main())
