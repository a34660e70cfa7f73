"""The demo's pictures and glTF models: the committed files are what the code draws, and the
models are valid glTF 2.0 whose triangles face the way their normals say."""

from __future__ import annotations

import base64
import json
import math
import struct
import xml.etree.ElementTree as ET

import pytest

from agora.demo.assets import STATIC_ROOT, expected_assets, gltf_model
from agora.demo.lines import MODEL_SHAPES

EXPECTED = expected_assets()


def _decode(document: dict) -> dict[int, list[tuple]]:
    """Accessor index → its elements, read through bufferViews from the embedded buffer."""
    (buffer,) = document["buffers"]
    prefix = "data:application/octet-stream;base64,"
    assert buffer["uri"].startswith(prefix)
    blob = base64.b64decode(buffer["uri"][len(prefix) :])
    assert len(blob) == buffer["byteLength"]
    sizes = {"SCALAR": 1, "VEC3": 3}
    formats = {5126: "f", 5123: "H", 5125: "I"}
    out = {}
    for index, accessor in enumerate(document["accessors"]):
        view = document["bufferViews"][accessor["bufferView"]]
        assert view["byteOffset"] % 4 == 0
        assert view["byteOffset"] + view["byteLength"] <= len(blob)
        n = sizes[accessor["type"]]
        fmt = formats[accessor["componentType"]]
        width = struct.calcsize(fmt) * n
        assert accessor["count"] * width == view["byteLength"]
        raw = blob[view["byteOffset"] : view["byteOffset"] + view["byteLength"]]
        out[index] = list(struct.iter_unpack(f"<{n}{fmt}", raw))
    return out


def test_committed_files_are_what_the_code_draws():
    on_disk = {str(p.relative_to(STATIC_ROOT)) for p in STATIC_ROOT.rglob("*") if p.is_file()}
    assert on_disk == set(EXPECTED), "run `python -m agora.demo.assets` to regenerate"
    for relative, content in EXPECTED.items():
        committed = (STATIC_ROOT / relative).read_text(encoding="utf-8")
        if relative.endswith(".svg"):
            assert committed == content, relative
        else:  # floats may differ in the last bit between platforms' sin/cos
            mine, theirs = json.loads(content), json.loads(committed)
            a, b = _decode(mine), _decode(theirs)
            for key in a:
                assert len(a[key]) == len(b[key])
                for x, y in zip(a[key], b[key], strict=True):
                    assert all(abs(p - q) < 1e-4 for p, q in zip(x, y, strict=True))
            for doc in (mine, theirs):
                del doc["buffers"][0]["uri"]
            assert mine == theirs, relative


@pytest.mark.parametrize("relative", [k for k in EXPECTED if k.endswith(".svg")])
def test_pictures_are_well_formed_svg(relative):
    root = ET.fromstring(EXPECTED[relative])
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 400 400"


@pytest.mark.parametrize("shape", MODEL_SHAPES)
def test_models_are_valid_gltf(shape):
    document = json.loads(gltf_model(shape))
    assert document["asset"]["version"] == "2.0"
    assert document["scenes"][document["scene"]]["nodes"] == [0]
    (primitive,) = document["meshes"][document["nodes"][0]["mesh"]]["primitives"]
    assert primitive["mode"] == 4 and primitive["material"] < len(document["materials"])
    data = _decode(document)
    positions = data[primitive["attributes"]["POSITION"]]
    normals = data[primitive["attributes"]["NORMAL"]]
    indices = [i for (i,) in data[primitive["indices"]]]
    accessor = document["accessors"][primitive["attributes"]["POSITION"]]
    for axis in range(3):  # min and max are required for POSITION and must be exact
        assert math.isclose(accessor["min"][axis], min(p[axis] for p in positions), abs_tol=1e-6)
        assert math.isclose(accessor["max"][axis], max(p[axis] for p in positions), abs_tol=1e-6)
    assert len(positions) == len(normals) and len(indices) % 3 == 0
    assert all(abs(math.dist(n, (0, 0, 0)) - 1) < 0.005 for n in normals)
    assert max(indices) < len(positions)
    agree = 0
    triangles = [indices[i : i + 3] for i in range(0, len(indices), 3)]
    for a, b, c in triangles:
        assert len({a, b, c}) == 3
        pa, pb, pc = positions[a], positions[b], positions[c]
        u = [pb[k] - pa[k] for k in range(3)]
        v = [pc[k] - pa[k] for k in range(3)]
        face = (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])
        mean = [normals[a][k] + normals[b][k] + normals[c][k] for k in range(3)]
        agree += sum(face[k] * mean[k] for k in range(3)) > 0
    assert agree / len(triangles) > 0.97  # counter-clockwise front faces match the normals
    size = max(accessor["max"][k] - accessor["min"][k] for k in range(3))
    assert 0.05 < size < 0.4  # metres: tableware, not a building
