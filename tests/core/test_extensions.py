"""Extension points: capability apps plug in, commerce copes with none."""

from __future__ import annotations

from agora.core import extension_points
from agora.core.extensions import ExtensionPoint, all_points, extension_point


def badge_a(product_id: str) -> list[dict[str, str]]:
    return [{"code": "a", "label": f"A for {product_id}"}]


def badge_b(product_id: str) -> list[dict[str, str]]:
    return [{"code": "b", "label": "B"}]


def test_declaring_a_point_twice_gives_the_same_point() -> None:
    first = extension_point("tests.same", "doc")
    assert extension_point("tests.same", "other doc") is first
    assert all_points()["tests.same"] is first


def test_kernel_points_are_declared() -> None:
    points = all_points()
    for point in (
        extension_points.product_badges,
        extension_points.recommendations,
        extension_points.checkout_adjustments,
    ):
        assert isinstance(point, ExtensionPoint)
        assert points[point.name] is point
        assert point.__doc__


def test_register_implementations_unregister() -> None:
    point = ExtensionPoint("tests.badges", "badges")
    assert point.implementations() == []
    point.register(badge_a)
    point.register(badge_b, key="b")
    try:
        assert point.implementations() == [badge_a, badge_b]
        assert point.keys() == [f"{__name__}.badge_a", "b"]
        assert [impl("prod_x")[0]["code"] for impl in point.implementations()] == ["a", "b"]
        assert "2 registered" in repr(point)
    finally:
        point.unregister(f"{__name__}.badge_a")
    assert point.implementations() == [badge_b]
    point.unregister("b")
    point.unregister("never-registered")  # unregistering what is not there is harmless
    assert point.implementations() == []


def test_registering_the_same_key_replaces() -> None:
    point = ExtensionPoint("tests.replace", "")
    point.register(badge_a, key="k")
    point.register(badge_b, key="k")
    assert point.implementations() == [badge_b]


def test_registering_on_a_shared_point_and_cleaning_up() -> None:
    point = extension_points.product_badges
    before = point.keys()
    returned = point.register(badge_a, key="tests.badge")
    try:
        assert returned is badge_a  # usable as a decorator
        assert badge_a in point.implementations()
    finally:
        point.unregister("tests.badge")
    assert point.keys() == before
