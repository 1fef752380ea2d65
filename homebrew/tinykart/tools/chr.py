"""Pattern tiles: track cells, decor, font and the rotated kart sprite."""
import math

from font import glyph_tile
from tracks import ROAD, GRASS, WALL, OUT, FINISH

# Background tile numbers (pattern table 0).
FONT_BASE = 0x20           # tile number == ASCII code
TREE_BASE = 0x60           # 16x16 tree: 4 tiles TL, TR, BL, BR
BUSH_BASE = 0x64           # 16x16 pair of bushes
CELL_BASE = 0x70           # generated 2x2-cell track tiles from here up
LOGO_BLOCK = 0x01          # solid ink block for the title logo

# Sprite tile numbers (pattern table 1).
SPR_KART = 0x00            # heading h uses tiles 4h..4h+3 (TL, TR, BL, BR)
SPR_SMOKE = 0x40


def encode(tile):
    """8x8 rows of colour indices -> 16 bytes of NES 2-bitplane pattern."""
    lo = [sum(((row[x] & 1) << (7 - x)) for x in range(8)) for row in tile]
    hi = [sum((((row[x] >> 1) & 1) << (7 - x)) for x in range(8)) for row in tile]
    return bytes(lo + hi)


def cell_pixels(kind, cx, cy):
    """4x4 pixels of one cell in palette 0 (0 grass, 1 road, 2 white, 3 red)."""
    if kind == ROAD:
        return [[1] * 4 for _ in range(4)]
    if kind in (GRASS, OUT):
        return [[0] * 4 for _ in range(4)]
    if kind == WALL:
        # Alternate red and white blocks, like track-side barriers.
        c = 3 if (cx + cy) % 2 == 0 else 2
        return [[c] * 4 for _ in range(4)]
    if kind == FINISH:
        return [[2 if ((x // 2) + (y // 2)) % 2 == 0 else 1 for x in range(4)] for y in range(4)]
    raise ValueError(kind)


def cell_tile(key):
    """key = (tl, tr, bl, br) kinds -> 8x8 colour rows."""
    tile = [[0] * 8 for _ in range(8)]
    for q, kind in enumerate(key):
        qx, qy = q % 2, q // 2
        px = cell_pixels(kind, qx, qy)
        for y in range(4):
            for x in range(4):
                tile[qy * 4 + y][qx * 4 + x] = px[y][x]
    return tile


def _disc_tiles(centres, radius, fill, edge):
    """16x16 picture of discs split into 4 tiles (palette 1: 1 dark green, 2 black)."""
    img = [[0] * 16 for _ in range(16)]
    for y in range(16):
        for x in range(16):
            for cx, cy in centres:
                d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
                if d <= radius:
                    lit = (x + 0.5 - cx) + (y + 0.5 - cy) < -radius * 0.6
                    img[y][x] = 3 if lit else fill
                elif d <= radius + 1 and img[y][x] == 0 and (x + 0.5 > cx or y + 0.5 > cy):
                    img[y][x] = edge
    return [[row[ox:ox + 8] for row in img[oy:oy + 8]] for oy in (0, 8) for ox in (0, 8)]


def tree_tiles():
    return _disc_tiles([(8, 8)], 6.5, 1, 2)


def bush_tiles():
    return _disc_tiles([(4.5, 5), (11.5, 11)], 3.5, 1, 2)


def kart_colour(lx, ly):
    """Kart drawn in its own frame: +x forward, +y to the right. 0 = transparent."""
    if (lx + 1.2) ** 2 + ly ** 2 <= 2.3 ** 2:
        return 3                                  # driver's helmet
    if -6.5 <= lx <= -2.5 and 3.0 <= abs(ly) <= 6.0:
        return 2                                  # big rear tyres
    if 2.5 <= lx <= 5.0 and 3.0 <= abs(ly) <= 5.5:
        return 2                                  # front tyres
    if -6.0 <= lx <= 4.5 and abs(ly) <= 3.0:
        return 1                                  # body
    if 4.5 < lx <= 7.0 and abs(ly) <= 2.0:
        return 3 if lx > 6.0 else 1               # nose with a white bumper
    return 0


def kart_tiles(heading):
    """Four 8x8 tiles of the 16x16 kart rotated to heading*22.5 degrees (clockwise)."""
    th = heading * 2 * math.pi / 16
    c, s = math.cos(th), math.sin(th)
    img = [[0] * 16 for _ in range(16)]
    n = 4
    for y in range(16):
        for x in range(16):
            votes = [0, 0, 0, 0]
            for sy in range(n):
                for sx in range(n):
                    dx = x + (sx + 0.5) / n - 8
                    dy = y + (sy + 0.5) / n - 8
                    votes[kart_colour(dx * c + dy * s, -dx * s + dy * c)] += 1
            if votes[0] * 2 > n * n:
                continue
            # Helmet and bumper win ties so the facing stays readable.
            img[y][x] = max((3, 1, 2), key=lambda k: votes[k])
    return [[row[ox:ox + 8] for row in img[oy:oy + 8]] for oy in (0, 8) for ox in (0, 8)]


def smoke_tiles():
    small = [[1 if math.hypot(x - 3.5, y - 3.5) <= 2 else 0 for x in range(8)] for y in range(8)]
    big = [[(3 if math.hypot(x - 3, y - 3) <= 1.5 else 1) if math.hypot(x - 3.5, y - 3.5) <= 3.2 else 0
            for x in range(8)] for y in range(8)]
    return [small, big]


def build_chr(cell_keys):
    """8 KiB CHR: pattern table 0 = background, 1 = sprites."""
    bg = [[[0] * 8 for _ in range(8)] for _ in range(256)]
    bg[LOGO_BLOCK] = [[3] * 8 for _ in range(8)]
    for code in range(0x20, 0x60):
        bg[code] = glyph_tile(chr(code), 3, 2)
    for i, t in enumerate(tree_tiles()):
        bg[TREE_BASE + i] = t
    for i, t in enumerate(bush_tiles()):
        bg[BUSH_BASE + i] = t
    if CELL_BASE + len(cell_keys) > 256:
        raise ValueError(f"too many track tiles: {len(cell_keys)}")
    for i, key in enumerate(cell_keys):
        bg[CELL_BASE + i] = cell_tile(key)
    spr = [[[0] * 8 for _ in range(8)] for _ in range(256)]
    for h in range(16):
        for q, t in enumerate(kart_tiles(h)):
            spr[SPR_KART + h * 4 + q] = t
    for i, t in enumerate(smoke_tiles()):
        spr[SPR_SMOKE + i] = t
    return b"".join(encode(t) for t in bg) + b"".join(encode(t) for t in spr), bg, spr
