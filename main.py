"""Start the Shopdesk desktop app."""

import multiprocessing
import sys

if __name__ == "__main__":
    # First: in a frozen build a worker process (analysis, regrouping) is this executable
    # started again; freeze_support runs the worker's job and exits before any app starts.
    multiprocessing.freeze_support()
    from desktop_app.app import main

    sys.exit(main())
