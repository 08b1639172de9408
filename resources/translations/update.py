"""Refresh shopdesk_en.ts from the UI's sources (pyside6-lupdate), fill English plurals, compile.

```sh
.venv/bin/python resources/translations/update.py
```

English is the source language: `shopdesk_en.ts` lists every string for translators (copy it
to `shopdesk_de.ts` and so on, then open it in Qt Linguist), and its only translations are the
English plural forms ("%n day(s)" -> "1 day", "3 days"), compiled into `shopdesk_en.qm`, which
the app loads when the system's language has no file of its own.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
TS = HERE / "shopdesk_en.ts"

# Every message whose source holds %n (lupdate marks only some: it sees the count in
# `QCoreApplication.translate(context, text, None, n)` only when n is a literal).
NUMERUS = re.compile(
    r'<message(?: numerus="yes")?>(?P<head>\s*<location[^>]*/>\s*(?:<location[^>]*/>\s*)*'
    r"<source>(?P<source>[^<]*%n[^<]*)</source>\s*)<translation[^>]*>.*?</translation>",
    re.S,
)


def english_plurals(ts: str) -> str:
    def fill(m: re.Match[str]) -> str:
        source = m.group("source")
        one, many = source.replace("(s)", ""), source.replace("(s)", "s")
        return (
            f'<message numerus="yes">{m.group("head")}<translation>\n'
            f"            <numerusform>{one}</numerusform>\n"
            f"            <numerusform>{many}</numerusform>\n"
            f"        </translation>"
        )

    return NUMERUS.sub(fill, ts)


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop_app").rglob("*.py"))
    sources = [s for s in sources if s.startswith(("desktop_app/ui", "desktop_app/app.py"))]
    lupdate = [str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-source-language", "en"]
    subprocess.run([*lupdate, "-target-language", "en", "-ts", str(TS)], cwd=ROOT, check=True)
    TS.write_text(english_plurals(TS.read_text(encoding="utf-8")), encoding="utf-8")
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS)], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
