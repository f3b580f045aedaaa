import gzip
import hashlib
import re
import shutil

import numpy as np
import pytest
from conftest import write_idx
from tensorflow import keras

from helpers import DATA_DIR_ENV
from helpers import data as D

FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def trust(monkeypatch, folder, dataset="mnist"):
    """Accept the files now in folder/dataset: record their SHA-256 as the standard ones."""
    hashes = dict(D._SHA256)
    for stem in FILES:
        gz, plain = folder / dataset / f"{stem}.gz", folder / dataset / stem
        if gz.is_file() or plain.is_file():
            raw = gzip.decompress(gz.read_bytes()) if gz.is_file() else plain.read_bytes()
            hashes[(dataset, stem)] = hashlib.sha256(raw).hexdigest()
    monkeypatch.setattr(D, "_SHA256", hashes)


def named(path):
    return re.escape(str(path))


def test_returns_what_keras_load_data_returns(tiny_dataset, monkeypatch):
    trust(monkeypatch, tiny_dataset)
    (x_train, y_train), (x_test, y_test) = D.load_mnist(data_dir=tiny_dataset)
    assert x_train.shape == (12, 28, 28) and x_test.shape == (4, 28, 28)
    assert y_train.shape == (12,) and y_test.shape == (4,)
    assert x_train.dtype == y_train.dtype == np.uint8
    expected = np.random.default_rng(0).integers(0, 256, (12, 28, 28))  # as the tiny_dataset fixture wrote it
    np.testing.assert_array_equal(x_train, expected)
    x_train[0, 0, 0] = 7  # writable, like keras' arrays (a learner may normalise in place)


def test_the_data_dir_argument_beats_the_environment_variable(tiny_dataset, tmp_path, monkeypatch):
    other = tmp_path / "other"
    for stem, shape in zip(FILES, [(3, 28, 28), (3,), (2, 28, 28), (2,)], strict=True):
        write_idx(other / "mnist" / f"{stem}.gz", np.ones(shape))
    trust(monkeypatch, tiny_dataset)
    monkeypatch.setenv(DATA_DIR_ENV, str(other))
    assert len(D.load_mnist(data_dir=tiny_dataset)[0][0]) == 12
    trust(monkeypatch, other)
    assert len(D.load_mnist()[0][0]) == 3  # without the argument, the variable is used


def test_uncompressed_files_are_accepted(tiny_dataset, monkeypatch):
    for gz in (tiny_dataset / "mnist").glob("*.gz"):
        gz.with_suffix("").write_bytes(gzip.decompress(gz.read_bytes()))
        gz.unlink()
    trust(monkeypatch, tiny_dataset)
    assert D.load_mnist(data_dir=tiny_dataset)[0][0].shape == (12, 28, 28)


def test_a_data_folder_that_is_not_a_directory(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "data.zip"
    not_a_folder.write_bytes(b"PK")
    with pytest.raises(FileNotFoundError, match=f"argument data_dir points at '{named(not_a_folder)}'.*not a dir"):
        D.load_mnist(data_dir=not_a_folder)
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match=f"environment variable {DATA_DIR_ENV} points at .*nowhere"):
        D.load_fashion_mnist()


def test_a_missing_file_is_named(tiny_dataset, monkeypatch):
    trust(monkeypatch, tiny_dataset)
    (tiny_dataset / "mnist" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match=named(tiny_dataset / "mnist" / "t10k-labels-idx1-ubyte.gz")):
        D.load_mnist(data_dir=tiny_dataset)
    with pytest.raises(FileNotFoundError, match=named(tiny_dataset / "fashion-mnist" / "train-images-idx3-ubyte")):
        D.load_fashion_mnist(data_dir=tiny_dataset)  # only mnist/ is there


def test_the_checksum_refuses_non_standard_files(tiny_dataset):
    with pytest.raises(ValueError, match=f"{named(tiny_dataset / 'mnist' / FILES[0])}.gz: checksum mismatch"):
        D.load_mnist(data_dir=tiny_dataset)


def test_swapped_files_fail_the_checksum(tiny_dataset, monkeypatch):
    trust(monkeypatch, tiny_dataset)
    folder = tiny_dataset / "mnist"
    shutil.copy(folder / "t10k-labels-idx1-ubyte.gz", folder / "train-labels-idx1-ubyte.gz")
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz: checksum mismatch"):
        D.load_mnist(data_dir=tiny_dataset)


def test_a_wrong_magic_number(tiny_dataset, monkeypatch):
    write_idx(tiny_dataset / "mnist" / "train-labels-idx1-ubyte.gz", np.zeros(12), magic=0x0802)
    trust(monkeypatch, tiny_dataset)
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz: wrong magic number 0x00000802"):
        D.load_mnist(data_dir=tiny_dataset)


@pytest.mark.parametrize("cut", [
    lambda raw: raw[:-1], lambda raw: raw[:-784], lambda raw: raw[:10], lambda raw: raw[:5], lambda raw: raw + b"\0",
], ids=["a byte short", "an image short", "inside the header", "shorter than a header", "an extra byte"])  # fmt: skip
def test_a_truncated_payload(tiny_dataset, monkeypatch, cut):
    path = tiny_dataset / "mnist" / "t10k-images-idx3-ubyte"
    path.write_bytes(cut(gzip.decompress(path.with_suffix(".gz").read_bytes())))
    path.with_suffix(".gz").unlink()
    trust(monkeypatch, tiny_dataset)
    with pytest.raises(ValueError, match=f"{named(path)}: .*truncated"):
        D.load_mnist(data_dir=tiny_dataset)


@pytest.mark.parametrize(("content", "message"), [
    (lambda raw: raw[:200], "the compressed data is damaged or cut short"),
    (lambda raw: b"<html>404 Not Found</html>", "not gzip-compressed, .* it looks like a web page"),
    (lambda raw: gzip.decompress(raw), "not gzip-compressed, .* it looks like an uncompressed IDX file"),
    (lambda raw: b"PK\x03\x04 a zip archive", "not gzip-compressed, .* it looks like some other file"),
    (lambda raw: b"", "the file is empty"),
], ids=["truncated gzip", "a web page", "uncompressed", "zip", "empty"])  # fmt: skip
def test_a_file_that_cannot_be_decompressed(tiny_dataset, content, message):
    path = tiny_dataset / "mnist" / "train-images-idx3-ubyte.gz"
    path.write_bytes(content(path.read_bytes()))
    with pytest.raises(ValueError, match=f"{named(path)}: {message}"):
        D.load_mnist(data_dir=tiny_dataset)


def test_offline_without_a_data_folder_says_how_to_fix_it(monkeypatch):
    def no_network():
        raise OSError("Temporary failure in name resolution")

    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", no_network)
    with pytest.raises(RuntimeError, match=f"name resolution.*{DATA_DIR_ENV}"):
        D.load_mnist()


def test_without_a_data_folder_keras_downloads(monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, "  ")  # blank counts as unset
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", lambda: "from keras")
    assert D.load_fashion_mnist() == "from keras"


def test_the_real_mnist(real_data_dir):
    (x_train, y_train), (x_test, y_test) = D.load_mnist(data_dir=real_data_dir)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == x_test.dtype == y_train.dtype == np.uint8
    assert (x_train.min(), x_train.max()) == (0, 255)
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]


def test_a_folder_where_a_data_file_belongs_is_named_as_a_folder(tiny_dataset, monkeypatch):
    trust(monkeypatch, tiny_dataset)
    path = tiny_dataset / "mnist" / "train-labels-idx1-ubyte.gz"
    path.unlink()
    path.mkdir()
    with pytest.raises(IsADirectoryError, match=f"{named(path)} is a folder, where the data file"):
        D.load_mnist(data_dir=tiny_dataset)


def test_a_data_folder_pointing_at_mnist_itself_says_to_point_at_its_parent(tiny_dataset):
    with pytest.raises(FileNotFoundError, match=f"holds the IDX files themselves; .* \\(e.g. {named(tiny_dataset)}\\)"):
        D.load_mnist(data_dir=tiny_dataset / "mnist")


def test_a_missing_dataset_folder_says_what_the_data_folder_needs(tiny_dataset):
    with pytest.raises(FileNotFoundError, match="which needs 'fashion-mnist/' with the four IDX files"):
        D.load_fashion_mnist(data_dir=tiny_dataset)
