"""`python -m desktop_app` runs the command-line interface."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # first: a frozen worker process runs its job and exits
    from desktop_app.cli import main

    sys.exit(main())
