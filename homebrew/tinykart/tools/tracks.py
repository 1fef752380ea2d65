"""Track layouts and the geometry that turns them into 4x4-pixel cells.

A track is a closed polygon whose corners are rounded with a fillet radius.
The generator samples that centre line, classifies every 4x4-pixel cell of the
screen by its distance to it (road / grass / wall / outfield) and splits the
lap into ordered sectors by arc length. Physics reads the cells through tile
tables in the ROM, never the PPU.
"""
import math

CW, CH = 64, 60            # cells per screen (4x4 pixels each)
HUD_CELL_ROWS = 8          # top 32 pixels hold the HUD: always solid
WALL_THICKNESS = 6         # pixels of visible barrier beyond the grass band

# Cell kinds. Surface codes seen by the game: road 0, grass 1, solid 2.
ROAD, GRASS, WALL, OUT, FINISH = "R", "G", "W", "O", "F"
SURFACE = {ROAD: 0, FINISH: 0, GRASS: 1, WALL: 2, OUT: 2}

TRACKS = [
    {
        "name": "OVAL",
        "half_width": 14, "grass": 18, "sectors": 16, "finish_x": 128,
        # (x, y, fillet radius); first edge must run east and hold the finish line.
        "corners": [(44, 198, 60), (212, 198, 60), (212, 72, 60), (44, 72, 60)],
    },
    {
        "name": "S-BENDS",
        "half_width": 13, "grass": 12, "sectors": 16, "finish_x": 128,
        "corners": [(32, 204, 28), (224, 204, 28), (224, 120, 27), (168, 120, 27),
                    (168, 56, 27), (100, 56, 27), (100, 124, 27), (32, 124, 28)],
    },
    {
        "name": "HAIRPINS",
        "half_width": 12, "grass": 8, "sectors": 16, "finish_x": 112,
        "corners": [(28, 212, 26), (228, 212, 26), (228, 160, 26), (96, 160, 26),
                    (96, 108, 26), (228, 108, 26), (228, 56, 26), (28, 56, 26)],
    },
]


def _unit(dx, dy):
    n = math.hypot(dx, dy)
    return dx / n, dy / n


def centre_line(track, step=0.5):
    """Sample the rounded polygon; returns [(x, y)] starting at the finish line."""
    pts = track["corners"]
    n = len(pts)
    arcs = []
    for i in range(n):
        ax, ay, _ = pts[i - 1]
        px, py, r = pts[i]
        bx, by, _ = pts[(i + 1) % n]
        d1 = _unit(px - ax, py - ay)
        d2 = _unit(bx - px, by - py)
        cross = d1[0] * d2[1] - d1[1] * d2[0]
        turn = math.atan2(cross, d1[0] * d2[0] + d1[1] * d2[1])
        t = r * math.tan(abs(turn) / 2)
        t1 = (px - d1[0] * t, py - d1[1] * t)
        side = 1 if cross > 0 else -1
        cx, cy = t1[0] - d1[1] * r * side, t1[1] + d1[0] * r * side
        a0 = math.atan2(t1[1] - cy, t1[0] - cx)
        arcs.append({"t": t, "c": (cx, cy), "r": r, "a0": a0, "turn": turn,
                     "t1": t1, "t2": (px + d2[0] * t, py + d2[1] * t)})
    out = []
    for i in range(n):
        a = arcs[i]
        length = abs(a["turn"]) * a["r"]
        k = max(1, int(length / step))
        for j in range(k):
            ang = a["a0"] + a["turn"] * j / k
            out.append((a["c"][0] + a["r"] * math.cos(ang), a["c"][1] + a["r"] * math.sin(ang)))
        s = a["t2"]
        e = arcs[(i + 1) % n]["t1"]
        seg = math.hypot(e[0] - s[0], e[1] - s[1])
        edge = math.hypot(pts[(i + 1) % n][0] - pts[i][0], pts[(i + 1) % n][1] - pts[i][1])
        if a["t"] + arcs[(i + 1) % n]["t"] > edge + 1e-6:
            raise ValueError(f"{track['name']}: fillets overlap on edge {i}")
        k = max(1, int(seg / step))
        for j in range(k):
            out.append((s[0] + (e[0] - s[0]) * j / k, s[1] + (e[1] - s[1]) * j / k))
    # Rotate so the list starts where the finish line crosses the first edge.
    y0 = pts[0][1]
    fx = track["finish_x"]
    best = min(range(len(out)), key=lambda i: (out[i][0] - fx) ** 2 + (out[i][1] - y0) ** 2)
    out = out[best:] + out[:best]
    out[0] = (float(fx), float(y0))
    return out


def arc_lengths(samples):
    s = [0.0]
    for i in range(1, len(samples)):
        s.append(s[-1] + math.dist(samples[i - 1], samples[i]))
    total = s[-1] + math.dist(samples[-1], samples[0])
    return s, total


def classify(track):
    """Returns dict with cells[cy][cx] kinds, cell arc positions, length, samples."""
    w, g = track["half_width"], track["grass"]
    for _, _, r in track["corners"]:
        # A fillet tighter than the drivable band folds the arc-length map onto
        # itself, which could let a kart skip a sector on the inside of a curve.
        if r < w + g + 2:
            raise ValueError(f"{track['name']}: fillet {r} < drivable half band {w + g} + 2")
    samples = centre_line(track)
    s, total = arc_lengths(samples)
    # Bucket samples on a coarse grid so the nearest search stays cheap.
    grid = {}
    for i, (x, y) in enumerate(samples):
        grid.setdefault((int(x) // 16, int(y) // 16), []).append(i)
    reach = (w + g + WALL_THICKNESS) // 16 + 2
    cells, near_s, near_d = [], [], []
    for cy in range(CH):
        row, rs, rd = [], [], []
        for cx in range(CW):
            px, py = cx * 4 + 2, cy * 4 + 2
            best_d, best_i = 1e9, 0
            gx, gy = px // 16, py // 16
            for bx in range(gx - reach, gx + reach + 1):
                for by in range(gy - reach, gy + reach + 1):
                    for i in grid.get((bx, by), ()):
                        d = math.hypot(samples[i][0] - px, samples[i][1] - py)
                        if d < best_d:
                            best_d, best_i = d, i
            if best_d <= w:
                kind = ROAD
            elif best_d <= w + g:
                kind = GRASS
            elif best_d <= w + g + WALL_THICKNESS:
                kind = WALL
            else:
                kind = OUT
            border = cy < HUD_CELL_ROWS or cy >= CH - 1 or cx == 0 or cx == CW - 1
            if border and kind in (ROAD, GRASS):
                raise ValueError(f"{track['name']}: drivable cell at border {cx},{cy}")
            row.append(kind)
            rs.append(s[best_i])
            rd.append(best_d)
        cells.append(row)
        near_s.append(rs)
        near_d.append(rd)
    _add_medians(cells, near_s, near_d, total, min(2 * (w + g) + 8, 0.9 * total / track["sectors"]))
    _mark_finish(track, cells)
    return {"cells": cells, "s": near_s, "length": total, "samples": samples, "arc": s}


def _circ(a, b, total):
    d = abs(a - b) % total
    return min(d, total - d)


def _add_medians(cells, near_s, near_d, total, max_jump):
    """Where two far-apart parts of the lap touch, wall off the seam."""
    changed = True
    while changed:
        changed = False
        for cy in range(CH):
            for cx in range(CW):
                if cells[cy][cx] not in (ROAD, GRASS):
                    continue
                for nx, ny in ((cx + 1, cy), (cx, cy + 1)):
                    if nx >= CW or ny >= CH or cells[ny][nx] not in (ROAD, GRASS):
                        continue
                    if _circ(near_s[cy][cx], near_s[ny][nx], total) > max_jump:
                        if near_d[cy][cx] >= near_d[ny][nx]:
                            cells[cy][cx] = WALL
                        else:
                            cells[ny][nx] = WALL
                        changed = True
                        break


def _mark_finish(track, cells):
    """The finish line is the tile column starting at finish_x, across the road."""
    fx = track["finish_x"]
    assert fx % 8 == 0, "finish line must be tile aligned"
    y0 = track["corners"][0][1]
    for cy in range(CH):
        for cx in (fx // 4, fx // 4 + 1):
            if cells[cy][cx] == ROAD and abs(cy * 4 + 2 - y0) <= track["half_width"] + 2:
                cells[cy][cx] = FINISH


def sectors(info, n):
    """Sector index per cell (solid cells get their nearest one too)."""
    total = info["length"]
    return [[min(n - 1, int(sv * n / total)) for sv in row] for row in info["s"]]


def check_sectors(track, info, sect, n):
    """Neighbouring drivable cells (8-neighbourhood) must be in equal or adjacent sectors."""
    cells = info["cells"]
    for cy in range(CH - 1):
        for cx in range(CW - 1):
            if SURFACE[cells[cy][cx]] == 2:
                continue
            for nx, ny in ((cx + 1, cy), (cx, cy + 1), (cx + 1, cy + 1), (cx - 1, cy + 1)):
                if nx < 0 or SURFACE[cells[ny][nx]] == 2:
                    continue
                d = (sect[ny][nx] - sect[cy][cx]) % n
                if d not in (0, 1, n - 1):
                    raise ValueError(f"{track['name']}: sectors jump at cell {cx},{cy}")
