"""Draws the extension's icons (icons/icon{16,32,48,128}.png) with the standard library only.

A blue rounded square with a white speech bubble holding three dots: "a message, about to be said".
Run from the extension folder: python3 tools/make_icons.py
"""

import struct
import zlib
from pathlib import Path

SIZES = (16, 32, 48, 128)
BLUE = (26, 115, 232)
WHITE = (255, 255, 255)
SUPERSAMPLE = 4


def inside_rounded_square(x: float, y: float, radius: float) -> bool:
    cx = min(max(x, radius), 1 - radius)
    cy = min(max(y, radius), 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def inside_triangle(x: float, y: float, a, b, c) -> bool:
    def side(p, q):
        return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])

    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def colour_at(x: float, y: float):
    """The colour at (x, y) in the unit square, or None outside the icon."""
    if not inside_rounded_square(x, y, 0.22):
        return None
    for cx in (0.35, 0.5, 0.65):
        if (x - cx) ** 2 + (y - 0.45) ** 2 <= 0.05**2:
            return BLUE
    in_bubble = ((x - 0.5) / 0.34) ** 2 + ((y - 0.45) / 0.27) ** 2 <= 1
    if in_bubble or inside_triangle(x, y, (0.27, 0.6), (0.45, 0.68), (0.2, 0.84)):
        return WHITE
    return BLUE


def render(size: int) -> bytes:
    rows = []
    n = SUPERSAMPLE
    for py in range(size):
        row = bytearray([0])  # PNG filter type "None"
        for px in range(size):
            r = g = b = a = 0
            for sy in range(n):
                for sx in range(n):
                    colour = colour_at((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)
                    if colour:
                        r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 1
            row += bytes((r // a, g // a, b // a, 255 * a // (n * n))) if a else bytes(4)
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "icons"
    out.mkdir(exist_ok=True)
    for size in SIZES:
        (out / f"icon{size}.png").write_bytes(render(size))
        print(out / f"icon{size}.png")


if __name__ == "__main__":
    main()
