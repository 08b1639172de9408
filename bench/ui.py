"""The desktop app on a big store: launch to first painted case list, a screen of rows, search, RSS.

```sh
.venv/bin/python bench/ui.py                 # 100,000 messages; the store is built once (minutes)
.venv/bin/python bench/ui.py --n 5000        # a quick run
```

The store is built by `bench/views.py`'s `build` (shopgen mail, imported and grouped, some of it
unread, waiting, done, snoozed, starred and tagged) and cached under
`$TMPDIR/shopdesk-ui-bench/n<N>-s<SEED>/`, so later runs start at once.

What is measured (offscreen Qt platform, the same composition as `desktop_app/app.py` without
sync or the demo shop):

- `first_paint_s`: a fresh process, from just before it is spawned to the first paint event of
  the case list's viewport with rows in it (Python start, imports, opening the store, the main
  window, the "open" queue's ids and first page read on the database worker).
- `screen_rows_ms`: 40 rows in the middle of the "all" queue, after their page arrived from
  the database worker: `data()` for every column and for the roles a QTreeView asks while
  painting (display, decoration, font, alignment, foreground, background, check state, size
  hint, tool tip); the median of several runs. `page_fetch_ms` is the wait for a page of 100
  rows (request to `dataChanged`), which happens off the GUI thread.
- `search_ms`: the median over a few queries of the time from `CaseModel.load("all", query)` to
  `ids_loaded` (the ids and their first page of rows read on the database worker, and the
  tree view's layout of the new rows on the GUI thread); `search_max_ms` the slowest.
  `back_to_all_ms` is clearing the search: all the cases of the "all" queue again.
- `rss_mb`: the larger of the first-paint process's RSS at first paint and this process's RSS
  after every row of the "all" queue was cached (the worst a long session gets).

The last line on stdout is one JSON object with those keys and extras; progress goes to stderr.
Targets: first paint < 1.5 s, screen rows < 16 ms, search < 100 ms, RSS < 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
TARGETS = {"first_paint_s": 1.5, "screen_rows_ms": 16.0, "search_ms": 100.0, "rss_mb": 400.0}
SEARCHES = (
    "refund",
    "from:gmail.com broken",
    "is:unread status:open",
    "order:1042",
    '"where is my order"',
    "tag:refill after:2024-01-01",
)
PAINT_ROLES = (0, 1, 6, 7, 9, 8, 10, 13, 3)  # display, decoration, font, alignment, fg, bg, ...


def say(text: str) -> None:
    print(f"[ui] {text}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / (1024 * 1024)


def store_dir(n: int, seed: int) -> Path:
    """The cached store for (n, seed), built on first use."""
    from bench.views import build

    path = Path(tempfile.gettempdir()) / "shopdesk-ui-bench" / f"n{n}-s{seed}"
    path.mkdir(parents=True, exist_ok=True)
    if not (path / "built").exists():
        say(f"building a store of {n} messages in {path} (once) ...")
        build(path, n, seed)
    return path


# -- the child process: launch to first paint -----------------------------------------------
def child_first_paint(data_dir: Path) -> int:
    """Compose the app as app.py does, print the wall time of the first painted rows, exit."""
    from PySide6.QtWidgets import QApplication

    from desktop_app.app import install_translator
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.paths import store_path
    from desktop_app.ui import theme
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.taskman import TaskManager

    app = QApplication([sys.argv[0]])
    install_translator(app)
    theme.apply(app)
    mailbox = Mailbox.open(store_path(data_dir))
    tasks = TaskManager()
    window = MainWindow(tasks, mailbox)

    def painted() -> None:
        print(json.dumps({"painted_at": time.time(), "rss_mb": rss_mb()}), flush=True)
        app.quit()

    window.cases.first_painted.connect(painted)
    window.show()
    app.exec()
    window.close()
    tasks.shutdown(wait=True)
    mailbox.close()
    return 0


def first_paint(data_dir: Path, runs: int = 3) -> tuple[float, float, list[float]]:
    """(median seconds, RSS of the last run, every run); the first run warms the disk cache."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SHOPDESK_DATA_DIR=str(data_dir))
    times: list[float] = []
    rss = 0.0
    for _ in range(runs + 1):
        t0 = time.time()
        out = subprocess.run(
            [PYTHON, str(Path(__file__).resolve()), "--child", str(data_dir)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
        if out.returncode != 0 or not lines:
            raise SystemExit(f"the first-paint child failed:\n{out.stderr[-2000:]}")
        result = json.loads(lines[-1])
        times.append(result["painted_at"] - t0)
        rss = result["rss_mb"]
    say("first paint: " + ", ".join(f"{t:.2f} s" for t in times) + " (first run discarded)")
    return statistics.median(times[1:]), rss, times[1:]


# -- in process: rows and search --------------------------------------------------------------
def wait_for(signal: Any, start: Callable[[], None], timeout_ms: int = 60_000) -> float:
    """Run `start`, spin an event loop until `signal` fires; returns the milliseconds taken."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    t0 = time.perf_counter()
    start()
    loop.exec()
    elapsed = (time.perf_counter() - t0) * 1000
    signal.disconnect(loop.quit)
    return elapsed


def in_process(data_dir: Path) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.paths import store_path
    from desktop_app.ui.case_list import CaseList
    from desktop_app.ui.models import case_model
    from desktop_app.ui.models.case_columns import COLUMNS, LOADED_ROLE
    from desktop_app.ui.models.case_model import CaseModel
    from desktop_app.ui.taskman import TaskManager

    _app = QApplication.instance() or QApplication([sys.argv[0]])  # kept alive
    mailbox = Mailbox.open(store_path(data_dir))
    tasks = TaskManager()
    try:
        model = CaseModel(tasks, mailbox.views)
        view = CaseList(model)  # a real tree view: its layout of the rows counts in search_ms
        view.resize(900, 700)
        view.show()
        ids_ms = wait_for(model.ids_loaded, lambda: model.load("all"))
        total = len(model.ids)
        say(
            f"'all' queue: {total} cases ({model.rowCount()} rows shown), "
            f"ids and first page in {ids_ms:.0f} ms"
        )
        screen, fetches = [], []
        for k in range(7):
            first = (total // 2 + k * 1000) % max(1, total - 40)
            rows = range(first, first + 40)
            model.case_index(model.ids[first + 39])  # rows that far down are shown
            fetches.append(
                wait_for(
                    model.rows_loaded,
                    lambda rows=rows: [model.index(r, 0).data() for r in rows],  # type: ignore[misc]
                )
            )
            assert all(model.index(r, 0).data(LOADED_ROLE) for r in rows)
            t0 = time.perf_counter()
            for r in rows:
                for c in range(COLUMNS):
                    index = model.index(r, c)
                    for role in PAINT_ROLES:
                        index.data(role)
            screen.append((time.perf_counter() - t0) * 1000)
        say("screen of 40 rows: " + ", ".join(f"{t:.2f}" for t in screen) + " ms")
        searches = []
        for query in SEARCHES:
            t = wait_for(model.ids_loaded, lambda q=query: model.load("all", q))
            say(f"search {query!r}: {len(model.ids)} cases in {t:.1f} ms")
            searches.append(t)
        back_ms = wait_for(model.ids_loaded, lambda: model.load("all"))
        say(f"back to all {len(model.ids)} cases in {back_ms:.0f} ms")
        t0 = time.perf_counter()
        model.case_index(model.ids[-1])  # every row shown, then read page by page as scrolled
        for first in range(0, total, case_model.PAGE):
            if not model.index(first, 0).data(LOADED_ROLE):
                wait_for(model.rows_loaded, lambda first=first: model.index(first, 0).data())
        say(f"all {total} rows cached in {time.perf_counter() - t0:.1f} s")
        all_cached_rss = rss_mb()
        view.close()
    finally:
        tasks.shutdown(wait=True)
        mailbox.close()
    return {
        "cases": total,
        "ids_all_ms": round(ids_ms, 1),
        "screen_rows_ms": round(statistics.median(screen), 2),
        "screen_rows_max_ms": round(max(screen), 2),
        "page_fetch_ms": round(statistics.median(fetches), 1),
        "search_ms": round(statistics.median(searches), 1),
        "search_max_ms": round(max(searches), 1),
        "back_to_all_ms": round(back_ms, 1),
        "rss_all_rows_cached_mb": round(all_cached_rss, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3, help="first-paint launches to time")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_first_paint(args.child)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    data_dir = store_dir(args.n, args.seed)
    paint_s, paint_rss, paint_runs = first_paint(data_dir, args.runs)
    result: dict[str, Any] = {"first_paint_s": round(paint_s, 3)}
    measured = in_process(data_dir)
    result["screen_rows_ms"] = measured.pop("screen_rows_ms")
    result["search_ms"] = measured.pop("search_ms")
    result["rss_mb"] = round(max(paint_rss, measured["rss_all_rows_cached_mb"]), 1)
    result.update(
        n=args.n,
        first_paint_runs_s=[round(t, 3) for t in paint_runs],
        rss_first_paint_mb=round(paint_rss, 1),
        **measured,
    )
    result["meets_targets"] = all(result[k] < limit for k, limit in TARGETS.items())
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
