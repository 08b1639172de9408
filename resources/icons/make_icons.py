"""Draw Shopdesk's icon (a shop bag with a speech bubble) with QPainter: PNGs, .ico and .icns.

Run from the top of the source tree after changing the drawing, and commit what it writes:
    .venv/bin/python resources/icons/make_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# .icns element types holding PNG data, and the pixel size of each.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)
TEAL_TOP, TEAL_BOTTOM = QColor("#1f9e89"), QColor("#146b70")
BAG, BAG_SHADE = QColor("#ffffff"), QColor("#dcefeb")
BUBBLE, DOTS = QColor("#ffb23e"), QColor("#ffffff")


def draw(size: int) -> QImage:
    """The icon at `size` pixels; drawn on a 100-unit grid, simplified below 32 px."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 100, size / 100)
    small = size < 32
    # the tile: a rounded square with a soft vertical gradient (macOS-like margins)
    margin = 2 if small else 6
    tile = QRectF(margin, margin, 100 - 2 * margin, 100 - 2 * margin)
    gradient = QLinearGradient(QPointF(0, margin), QPointF(0, 100 - margin))
    gradient.setColorAt(0, TEAL_TOP)
    gradient.setColorAt(1, TEAL_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(tile, 22, 22)
    # the bag: a trapezoid body with a folded top edge, and a handle
    body = QPainterPath()
    body.moveTo(24, 36)
    body.lineTo(70, 36)
    body.lineTo(74, 80)
    body.quadTo(74, 84, 70, 84)
    body.lineTo(24, 84)
    body.quadTo(20, 84, 20, 80)
    body.closeSubpath()
    p.setBrush(BAG)
    p.drawPath(body)
    if not small:
        p.setBrush(BAG_SHADE)
        p.drawRect(QRectF(23.6, 36, 46.8, 5))
    handle = QPen(BAG, 7 if small else 5.5)
    handle.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(handle)
    p.setBrush(Qt.BrushStyle.NoBrush)
    handle_path = QPainterPath()
    handle_path.moveTo(35, 38)
    handle_path.cubicTo(35, 18, 59, 18, 59, 38)
    p.drawPath(handle_path)
    # the speech bubble, overlapping the bag's lower right corner
    p.setPen(QPen(TEAL_BOTTOM, 3.5))
    p.setBrush(BUBBLE)
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(48, 52, 42, 30), 11, 11)
    tail = QPainterPath()
    tail.moveTo(58, 80)
    tail.lineTo(52, 92)
    tail.lineTo(70, 80)
    tail.closeSubpath()
    p.drawPath(bubble.united(tail))
    if not small:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(DOTS)
        for x in (58.5, 69, 79.5):
            p.drawEllipse(QPointF(x, 67), 3.6, 3.6)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico of PNG-compressed images (Vista and later read these)."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    entries, blobs = b"", b""
    offset = 6 + 16 * len(ICO_SIZES)
    for size in ICO_SIZES:
        blob = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns of PNG elements."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pngs = {size: png_bytes(draw(size)) for size in SIZES}
    for size, blob in pngs.items():
        (HERE / f"shopdesk-{size}.png").write_bytes(blob)
    (HERE / "shopdesk.png").write_bytes(pngs[256])
    (HERE / "shopdesk.ico").write_bytes(ico(pngs))
    (HERE / "shopdesk.icns").write_bytes(icns(pngs))
    del app
    print(f"wrote {len(SIZES)} PNGs, shopdesk.ico and shopdesk.icns to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
