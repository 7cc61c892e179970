"""The brand and accent colours: `#rrggbb`, and dark enough that white text on them (and
they as text on white) meets WCAG AA's 4.5:1."""

from __future__ import annotations

from typing import Any

import pytest

from generator.basics.fields import FieldProblem
from generator.settings.rules import Colour, contrast_ratio


def ignore(key: Any, message: str) -> None:  # pragma: no cover - Colour reports no parts
    raise AssertionError(message)


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#767676", "#ffffff", 4.54)],
)
def test_contrast_ratio_matches_wcag(first: str, second: str, ratio: float) -> None:
    assert round(contrast_ratio(first, second), 2) == ratio
    assert contrast_ratio(first, second) == contrast_ratio(second, first)


def test_a_dark_colour_is_kept_in_lower_case() -> None:
    assert Colour().convert("brand_colour", " #1D4F91 ", ignore) == "#1d4f91"
    assert Colour().convert("brand_colour", "#767676", ignore) == "#767676"


@pytest.mark.parametrize("value", ["#777777", "#a3195c00", "#abc", "navy", 0x1D4F91, None])
def test_a_light_or_malformed_colour_is_refused_with_an_example(value: Any) -> None:
    with pytest.raises(FieldProblem) as raised:
        Colour(example="#1d4f91").convert("brand_colour", value, ignore)
    assert '`brand_colour: "#1d4f91"`' in str(raised.value)
