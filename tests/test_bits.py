import numpy as np
import pytest

from helpers import bits


def test_int_to_bits_39_msb_first():
    np.testing.assert_array_equal(bits.int_to_bits(39), [0, 0, 1, 0, 0, 1, 1, 1])
    assert bits.int_to_bits(39).dtype == np.float32


def test_round_trip_all_bytes():
    table = bits.all_bytes()
    assert table.shape == (256, 8)
    np.testing.assert_array_equal(bits.bits_to_int(table), np.arange(256))
    assert bits.bits_to_str(table[216]) == "11011000"


def test_bits_to_int_rounds_soft_values():
    assert bits.bits_to_int([0.08, 0.1, 0.9, 0.2, 0.07, 0.91, 0.92, 0.6]) == 39
    assert bits.bits_to_int([0.49] * 8) == 0


def test_flip_bits_turns_39_into_216():
    assert bits.bits_to_int(bits.flip_bits(bits.int_to_bits(39))) == 216


def test_other_widths():
    assert bits.bits_to_int(bits.int_to_bits(5, n_bits=3)) == 5
    assert bits.int_to_bits([1, 2], n_bits=2).tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize("value", [256, -1, [3, 300]])
def test_out_of_range_values_are_rejected(value):
    with pytest.raises(ValueError, match="between 0 and 255"):
        bits.int_to_bits(value)


@pytest.mark.parametrize("value", [3.5, "39", True])
def test_non_integers_are_rejected(value):
    with pytest.raises(TypeError, match="value must be an int"):
        bits.int_to_bits(value)


def test_bad_bit_vectors_are_rejected():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        bits.bits_to_int([0, 2, 0])
    with pytest.raises(ValueError, match="NaN"):
        bits.bits_to_int([0, np.nan])
    with pytest.raises(ValueError, match="shape"):
        bits.bits_to_int(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="n_bits"):
        bits.int_to_bits(3, n_bits=0)
