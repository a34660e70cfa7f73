"""The demo store's pictures and 3D models, drawn by code.

Product pictures are small flat SVG illustrations (one per shape and colour); the 3D models are
glTF 2.0 files with an embedded base64 buffer: surfaces of revolution (a lathe) for the bodies,
a part-torus for handles and a tilted lathe for a spout. The files under
``agora/demo/static/demo/`` are the output of :func:`write_assets`; regenerate them with
``python -m agora.demo.assets`` after changing this module (a test checks they match).
"""

from __future__ import annotations

import base64
import json
import math
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

from agora.demo.lines import MODEL_SHAPES, image_keys

STATIC_ROOT = Path(__file__).resolve().parent / "static" / "demo"

# colour key → (main, dark, background)
PALETTE: dict[str, tuple[str, str, str]] = {
    "green": ("#5b8c3a", "#3d6326", "#eef4e6"),
    "red": ("#a8322d", "#74201c", "#f8e9e6"),
    "amber": ("#c98a2b", "#8e5f1a", "#f9f0e0"),
    "white": ("#f4f1ea", "#b9b2a3", "#e4e9ee"),
    "brown": ("#6b4a2f", "#46301e", "#f1ebe4"),
    "lavender": ("#8e7cc3", "#5f4f94", "#f1eef8"),
    "oatmeal": ("#d9c8a9", "#a38f6b", "#f6f1e8"),
    "blue": ("#2f5d9e", "#1d3d6b", "#e7eef8"),
    "olive": ("#7a7d3c", "#52542a", "#f0f1e4"),
    "terracotta": ("#c0643a", "#8a4224", "#f8ece5"),
    "celadon": ("#9cc3b0", "#6a9582", "#eef5f1"),
    "rose": ("#e59aa6", "#b5606e", "#fbeef0"),
    "orange": ("#e57b22", "#a85512", "#fdf0e4"),
    "purple": ("#6d3f8c", "#4a2862", "#f2ecf6"),
    "cognac": ("#9a5b2c", "#6a3c1b", "#f6ece3"),
    "black": ("#2b2b2b", "#111111", "#eceae6"),
    "tan": ("#c4955e", "#8f6a3f", "#f8f1e8"),
    "navy": ("#243a5e", "#15243d", "#e8edf4"),
    "yellow": ("#e8c33a", "#a88a1f", "#fcf7e3"),
    "grey": ("#8a8f96", "#5c6066", "#f0f1f2"),
    "silver": ("#b8bec6", "#7d848d", "#f2f3f5"),
}

_SHAPES = {
    "mug": """<rect x="120" y="130" width="140" height="180" rx="16" fill="{main}"/>
<path d="M260 170h22a38 38 0 0 1 0 76h-22" fill="none" stroke="{main}" stroke-width="18"/>
<ellipse cx="190" cy="132" rx="70" ry="12" fill="{dark}"/>""",
    "cup": """<ellipse cx="200" cy="300" rx="110" ry="20" fill="{dark}"/>
<path d="M130 180h140l-14 96a20 20 0 0 1-20 18h-72a20 20 0 0 1-20-18z" fill="{main}"/>
<path d="M270 200h12a26 26 0 0 1 0 52h-18" fill="none" stroke="{main}" stroke-width="12"/>
<ellipse cx="200" cy="180" rx="70" ry="10" fill="{dark}"/>""",
    "bowl": """<rect x="165" y="280" width="70" height="16" rx="4" fill="{dark}"/>
<path d="M90 170h220a110 115 0 0 1-220 0z" fill="{main}"/>
<ellipse cx="200" cy="170" rx="110" ry="18" fill="{dark}"/>""",
    "plate": """<ellipse cx="200" cy="220" rx="150" ry="70" fill="{main}"/>
<ellipse cx="200" cy="220" rx="100" ry="44" fill="{dark}" opacity=".35"/>""",
    "teapot": """<path d="M110 225q-50-10-62-72l14-4q16 44 54 52z" fill="{main}"/>
<path d="M294 195a46 46 0 0 1 0 80" fill="none" stroke="{main}" stroke-width="16"/>
<ellipse cx="200" cy="230" rx="100" ry="80" fill="{main}"/>
<path d="M150 162q50-42 100 0z" fill="{dark}"/>
<circle cx="200" cy="130" r="10" fill="{dark}"/>""",
    "vase": """<path fill="{main}"
 d="M175 90h50v20q0 20 25 50q45 55 25 130q-8 30-75 30q-67 0-75-30q-20-75 25-130q25-30 25-50z"/>
<ellipse cx="200" cy="90" rx="25" ry="6" fill="{dark}"/>""",
    "tea": """<rect x="130" y="130" width="140" height="190" rx="10" fill="{main}"/>
<rect x="124" y="108" width="152" height="36" rx="8" fill="{dark}"/>
<rect x="130" y="190" width="140" height="70" fill="#fff" opacity=".85"/>
<path d="M170 242q30-50 70-30q-20 45-70 30z" fill="{main}"/>
<path d="M170 242q30-20 60-25" fill="none" stroke="{dark}" stroke-width="3"/>""",
    "book": """<rect x="120" y="80" width="170" height="240" rx="6" fill="{main}"/>
<rect x="120" y="80" width="22" height="240" fill="{dark}"/>
<rect x="165" y="130" width="100" height="10" rx="5" fill="#fff" opacity=".85"/>
<rect x="165" y="152" width="70" height="8" rx="4" fill="#fff" opacity=".6"/>
<rect x="165" y="262" width="50" height="8" rx="4" fill="#fff" opacity=".6"/>""",
    "bag": """<path d="M150 170a50 60 0 0 1 100 0" fill="none" stroke="{dark}" stroke-width="12"/>
<path d="M110 170h180l20 150h-220z" fill="{main}"/>
<path d="M106 200h188" stroke="{dark}" stroke-width="4" stroke-dasharray="8 6"/>""",
    "wallet": """<rect x="100" y="140" width="200" height="130" rx="14" fill="{main}"/>
<path d="M100 182h200" stroke="{dark}" stroke-width="6"/>
<rect x="108" y="148" width="184" height="114" rx="10" fill="none" stroke="#fff"
 stroke-opacity=".5" stroke-width="2" stroke-dasharray="6 5"/>""",
    "belt": """<g transform="rotate(-20 200 200)">
<rect x="50" y="180" width="300" height="40" rx="6" fill="{main}"/>
<circle cx="110" cy="200" r="5" fill="{dark}"/><circle cx="140" cy="200" r="5" fill="{dark}"/>
<circle cx="170" cy="200" r="5" fill="{dark}"/>
<rect x="250" y="166" width="50" height="68" rx="8" fill="none" stroke="#b08d3c" stroke-width="10"/>
</g>""",
    "bicycle": """<circle cx="120" cy="250" r="60" fill="none" stroke="#333" stroke-width="10"/>
<circle cx="290" cy="250" r="60" fill="none" stroke="#333" stroke-width="10"/>
<path d="M120 250L185 250L260 170L150 170ZM185 250L150 170M260 170L290 250M150 170L140 142"
 fill="none" stroke="{main}" stroke-width="12" stroke-linejoin="round" stroke-linecap="round"/>
<rect x="116" y="130" width="48" height="12" rx="6" fill="#333"/>
<path d="M260 170L268 135h24" fill="none" stroke="#333" stroke-width="8"
 stroke-linecap="round"/>""",
    "accessory": """<circle cx="200" cy="210" r="92" fill="none" stroke="{main}" stroke-width="34"
 stroke-dasharray="20 16"/>
<circle cx="200" cy="210" r="74" fill="{main}"/>
<circle cx="200" cy="210" r="26" fill="{bg}"/>""",
}


def svg_image(shape: str, colour: str) -> str:
    """A 400 by 400 flat picture of ``shape`` in ``colour``; text, so it diffs and stays small."""
    main, dark, bg = PALETTE[colour]
    body = _SHAPES[shape].format(main=main, dark=dark, bg=bg)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" '
        f'role="img" aria-label="{shape}, {colour}">\n'
        f'<rect width="400" height="400" rx="24" fill="{bg}"/>\n'
        '<ellipse cx="200" cy="336" rx="130" ry="14" fill="#000" opacity=".08"/>\n'
        f"{body}\n</svg>\n"
    )


# --- glTF ---------------------------------------------------------------------------------------

Vec3 = tuple[float, float, float]
_SEGMENTS = 32


class _Mesh:
    """Triangles in one buffer: positions, unit normals and counter-clockwise indices."""

    def __init__(self) -> None:
        self.positions: list[Vec3] = []
        self.normals: list[Vec3] = []
        self.indices: list[int] = []

    def grid(self, rows: list[list[tuple[Vec3, Vec3]]]) -> None:
        """Adds a quad grid: ``rows[i][j]`` is (position, normal); consecutive rows advance
        along the surface so that (row i, j) → (row i+1, j) → (row i, j+1) is front-facing."""
        base = len(self.positions)
        width = len(rows[0])
        for row in rows:
            for position, normal in row:
                self.positions.append(position)
                self.normals.append(normal)
        for i in range(len(rows) - 1):
            for j in range(width - 1):
                a, b = base + i * width + j, base + i * width + j + 1
                c, d = a + width, b + width
                if rows[i][j][0] != rows[i][j + 1][0]:  # skip triangles collapsed on the axis
                    self.indices += [a, c, b]
                if rows[i + 1][j][0] != rows[i + 1][j + 1][0]:
                    self.indices += [b, c, d]


def _unit(x: float, y: float, z: float) -> Vec3:
    length = math.sqrt(x * x + y * y + z * z) or 1.0
    return (x / length, y / length, z / length)


def _lathe(
    mesh: _Mesh,
    strokes: Iterable[Sequence[tuple[float, float]]],
    transform: tuple[tuple[float, ...], ...] | None = None,
    offset: Vec3 = (0.0, 0.0, 0.0),
) -> None:
    """Revolves each stroke of (radius, height) points about the y axis. Normals are smooth
    along a stroke and break between strokes, so a rim or a foot keeps its edge."""
    for stroke in strokes:
        rows = []
        for i, (r, y) in enumerate(stroke):
            r0, y0 = stroke[max(i - 1, 0)]
            r1, y1 = stroke[min(i + 1, len(stroke) - 1)]
            dr, dy = r1 - r0, y1 - y0
            nr, ny = _unit(dy, -dr, 0.0)[:2]
            row = []
            for j in range(_SEGMENTS + 1):
                angle = 2 * math.pi * (j % _SEGMENTS) / _SEGMENTS
                c, s = math.cos(angle), math.sin(angle)
                p, n = (r * c, y, r * s), (nr * c, ny, nr * s)
                if transform is not None:
                    p, n = _apply(transform, p), _apply(transform, n)
                row.append(((p[0] + offset[0], p[1] + offset[1], p[2] + offset[2]), n))
            rows.append(row)
        mesh.grid(rows)


def _apply(m: tuple[tuple[float, ...], ...], v: Vec3) -> Vec3:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _handle(
    mesh: _Mesh, centre: Vec3, major: float, minor: float, start: float, end: float
) -> None:
    """A part-torus in the x-y plane (a cup or teapot handle), from angle ``start`` to ``end``."""
    rows = []
    steps = 24
    for i in range(steps + 1):
        u = math.radians(start + (end - start) * i / steps)
        row = []
        for j in range(17):
            v = 2 * math.pi * (j % 16) / 16
            n = (math.cos(v) * math.cos(u), math.cos(v) * math.sin(u), math.sin(v))
            ring = major + minor * math.cos(v)
            p = (
                centre[0] + ring * math.cos(u),
                centre[1] + ring * math.sin(u),
                centre[2] + minor * math.sin(v),
            )
            row.append((p, n))
        rows.append(row)
    mesh.grid(rows)


def _curve(points: Sequence[tuple[float, float]], steps: int = 4) -> list[tuple[float, float]]:
    """A smooth path through ``points`` (a Catmull-Rom spline, ``steps`` pieces per span)."""
    padded = [points[0], *points, points[-1]]
    out = [points[0]]
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1 : i + 3]
        for k in range(1, steps + 1):
            t = k / steps
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[c]
                        + (p2[c] - p0[c]) * t
                        + (2 * p0[c] - 5 * p1[c] + 4 * p2[c] - p3[c]) * t * t
                        + (3 * p1[c] - p0[c] - 3 * p2[c] + p3[c]) * t * t * t
                    )
                    for c in (0, 1)
                )
            )
    return out


def _quarter(
    r0: float, y0: float, r1: float, y1: float, steps: int = 10
) -> list[tuple[float, float]]:
    """From (r0, y0) flaring out to (r1, y1): horizontal at the start, vertical at the end."""
    return [
        (
            r0 + (r1 - r0) * math.sin(math.pi / 2 * k / steps),
            y0 + (y1 - y0) * (1 - math.cos(math.pi / 2 * k / steps)),
        )
        for k in range(steps + 1)
    ]


def _mug() -> _Mesh:
    mesh = _Mesh()
    _lathe(
        mesh,
        [
            [(0.0, 0.0), (0.036, 0.0)],
            [(0.036, 0.0), (0.039, 0.004), (0.04, 0.012), (0.04, 0.095)],
            [(0.04, 0.095), (0.038, 0.097), (0.036, 0.095)],
            [(0.036, 0.095), (0.036, 0.012), (0.032, 0.006)],
            [(0.032, 0.006), (0.0, 0.006)],
        ],
    )
    _handle(mesh, (0.043, 0.05, 0.0), 0.026, 0.0055, -95, 95)
    return mesh


def _bowl() -> _Mesh:
    mesh = _Mesh()
    outer = _quarter(0.032, 0.006, 0.075, 0.06)
    inner = [(r - 0.003, y + 0.004) for r, y in reversed(outer)]
    _lathe(
        mesh,
        [
            [(0.0, 0.0), (0.03, 0.0)],
            [(0.03, 0.0), (0.032, 0.006)],
            outer,
            [(0.075, 0.06), (0.0735, 0.0615), (0.072, 0.064)],
            [(0.072, 0.064), *inner[1:]],
            [inner[-1], (0.0, inner[-1][1])],
        ],
    )
    return mesh


def _vase() -> _Mesh:
    mesh = _Mesh()
    body = _curve(
        [
            (0.04, 0.0),
            (0.058, 0.05),
            (0.06, 0.09),
            (0.042, 0.145),
            (0.021, 0.185),
            (0.02, 0.21),
            (0.026, 0.225),
        ]
    )
    _lathe(
        mesh,
        [
            [(0.0, 0.0), (0.04, 0.0)],
            body,
            [(0.026, 0.225), (0.024, 0.227), (0.021, 0.224)],
            [(0.021, 0.224), (0.017, 0.2), (0.016, 0.19)],
        ],
    )
    return mesh


def _teapot() -> _Mesh:
    mesh = _Mesh()
    body = [
        (0.075 * math.cos(t), 0.044 + 0.055 * math.sin(t))
        for t in (math.radians(a) for a in range(-53, 63, 8))
    ]
    _lathe(
        mesh,
        [
            [(0.0, 0.0), body[0]],
            body,
            [body[-1], (body[-1][0] + 0.002, body[-1][1] + 0.002), (0.02, 0.108), (0.006, 0.112)],
            [(0.006, 0.112), (0.011, 0.118), (0.009, 0.126), (0.0, 0.128)],
        ],
    )
    tilt = math.radians(50)
    rotate = (
        (math.cos(tilt), -math.sin(tilt), 0.0),
        (math.sin(tilt), math.cos(tilt), 0.0),
        (0.0, 0.0, 1.0),
    )
    _lathe(
        mesh,
        [
            [(0.016, 0.0), (0.011, 0.04), (0.007, 0.075)],
            [(0.007, 0.075), (0.0065, 0.077), (0.0055, 0.0755)],
        ],
        transform=rotate,
        offset=(-0.058, 0.036, 0.0),
    )
    _handle(mesh, (0.072, 0.052, 0.0), 0.032, 0.0065, -100, 100)
    return mesh


_MODELS = {
    # shape → (builder, glaze colour as linear RGB)
    "mug": (_mug, (0.46, 0.66, 0.57)),
    "teapot": (_teapot, (0.05, 0.16, 0.45)),
    "bowl": (_bowl, (0.72, 0.6, 0.42)),
    "vase": (_vase, (0.55, 0.73, 0.64)),
}


def _r(value: float, places: int) -> float:
    # Rounded before packing so the file does not depend on the last bits of the platform's
    # sin/cos; 0.01 mm is far below what anyone sees.
    return round(value, places) + 0.0


def gltf_model(shape: str) -> str:
    """A self-contained glTF 2.0 document (JSON with an embedded buffer) of ``shape``."""
    build, colour = _MODELS[shape]
    mesh = build()
    positions = [tuple(_r(c, 5) for c in p) for p in mesh.positions]
    normals = [tuple(_r(c, 4) for c in n) for n in mesh.normals]
    index_format = "H" if len(positions) < 65536 else "I"
    blob_pos = b"".join(struct.pack("<3f", *p) for p in positions)
    blob_nor = b"".join(struct.pack("<3f", *n) for n in normals)
    blob_idx = struct.pack(f"<{len(mesh.indices)}{index_format}", *mesh.indices)
    blob_idx += b"\0" * (-len(blob_idx) % 4)
    buffer = blob_pos + blob_nor + blob_idx
    lows = [min(p[k] for p in positions) for k in range(3)]
    highs = [max(p[k] for p in positions) for k in range(3)]
    document = {
        "asset": {"version": "2.0", "generator": "Agora demo (agora/demo/assets.py)"},
        "scene": 0,
        "scenes": [{"name": shape, "nodes": [0]}],
        "nodes": [{"name": shape, "mesh": 0}],
        "meshes": [
            {
                "name": shape,
                "primitives": [
                    {
                        "attributes": {"POSITION": 0, "NORMAL": 1},
                        "indices": 2,
                        "material": 0,
                        "mode": 4,
                    }
                ],
            }
        ],
        "materials": [
            {
                "name": f"{shape} glaze",
                "pbrMetallicRoughness": {
                    "baseColorFactor": [*colour, 1.0],
                    "metallicFactor": 0.0,
                    "roughnessFactor": 0.3,
                },
                "doubleSided": True,
            }
        ],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": 5126,
                "count": len(positions),
                "type": "VEC3",
                "min": lows,
                "max": highs,
            },
            {"bufferView": 1, "componentType": 5126, "count": len(normals), "type": "VEC3"},
            {
                "bufferView": 2,
                "componentType": 5123 if index_format == "H" else 5125,
                "count": len(mesh.indices),
                "type": "SCALAR",
            },
        ],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": len(blob_pos), "target": 34962},
            {
                "buffer": 0,
                "byteOffset": len(blob_pos),
                "byteLength": len(blob_nor),
                "target": 34962,
            },
            {
                "buffer": 0,
                "byteOffset": len(blob_pos) + len(blob_nor),
                "byteLength": len(mesh.indices) * struct.calcsize(index_format),
                "target": 34963,
            },
        ],
        "buffers": [
            {
                "byteLength": len(buffer),
                "uri": "data:application/octet-stream;base64," + base64.b64encode(buffer).decode(),
            }
        ],
    }
    return json.dumps(document, separators=(",", ":")) + "\n"


def expected_assets() -> dict[str, str]:
    """Every file under ``static/demo/`` by its path relative to that folder."""
    files = {
        f"images/{shape}-{colour}.svg": svg_image(shape, colour)
        for shape, colour in sorted(image_keys())
    }
    files |= {f"models/{shape}.gltf": gltf_model(shape) for shape in MODEL_SHAPES}
    return files


def write_assets(root: Path = STATIC_ROOT) -> list[Path]:
    written = []
    for relative, content in expected_assets().items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_assets():
        print(written_path)
