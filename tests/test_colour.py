"""The WCAG 2 contrast arithmetic both screens' palettes are held to."""
import pytest

from reception.colour import contrast_ratio, hex_rgba


def test_the_wcag_formula_matches_known_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#777777") == contrast_ratio("#777777", "#FFFFFF")


def test_hex_colours_become_kivy_rgba():
    assert hex_rgba("#FF8000") == pytest.approx((1.0, 128 / 255, 0.0, 1.0))
    assert hex_rgba("0B1F33", 0.5)[3] == 0.5
