import gzip
import shutil

import numpy as np
import pytest
from conftest import write_idx

from helpers import DATA_DIR_ENV
from helpers import data as D


def load_tiny(folder, **kwargs):
    return D.load_mnist(data_dir=folder, verify=False, **kwargs)


def test_loads_scaled_flattened_float32(tiny_dataset):
    (x_train, y_train), (x_test, y_test) = load_tiny(tiny_dataset)
    assert x_train.shape == (12, 784) and x_test.shape == (4, 784)
    assert x_train.dtype == np.float32 and 0.0 <= x_train.min() and x_train.max() <= 1.0
    assert y_train.shape == (12,) and y_train.dtype == np.int64


def test_options_raw_images_and_subsets(tiny_dataset):
    (x_train, _), (x_test, y_test) = load_tiny(tiny_dataset, normalize=False, flatten=False, n_train=5, n_test=2)
    assert x_train.shape == (5, 28, 28) and x_train.dtype == np.uint8
    assert x_test.shape == (2, 28, 28) and y_test.shape == (2,)
    x_train[0, 0, 0] = 7  # a writable copy, not a read-only view of the file buffer
    (scaled, _), _ = load_tiny(tiny_dataset, n_train=5)
    raw = load_tiny(tiny_dataset, normalize=False, n_train=5)[0][0]
    np.testing.assert_allclose(scaled * 255, raw, atol=1e-4)


def test_environment_variable_is_used(tiny_dataset, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tiny_dataset))
    (x_train, _), _ = D.load_mnist(verify=False)
    assert len(x_train) == 12


def test_uncompressed_files_are_accepted(tiny_dataset):
    folder = tiny_dataset / "mnist"
    for gz in folder.glob("*.gz"):
        with gzip.open(gz, "rb") as src:
            (folder / gz.stem).write_bytes(src.read())
        gz.unlink()
    (x_train, _), _ = load_tiny(tiny_dataset)
    assert x_train.shape == (12, 784)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"n_train": 0}, ValueError, "n_train must be between 1 and 12"),
    ({"n_test": 5}, ValueError, "n_test must be between 1 and 4"),
    ({"n_train": 2.5}, TypeError, "n_train must be an int"),
])  # fmt: skip
def test_bad_subset_sizes(tiny_dataset, kwargs, error, message):
    with pytest.raises(error, match=message):
        load_tiny(tiny_dataset, **kwargs)


def test_unknown_dataset_name():
    with pytest.raises(ValueError, match="name must be one of"):
        D.load_dataset("cifar10")


def test_missing_directory_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match=f"environment variable {DATA_DIR_ENV}.*not a directory"):
        D.load_mnist()


def test_missing_dataset_subfolder(tmp_path):
    with pytest.raises(FileNotFoundError, match="must contain a 'fashion-mnist/' sub-folder"):
        D.load_fashion_mnist(data_dir=tmp_path)


def test_missing_file_is_named(tiny_dataset):
    (tiny_dataset / "mnist" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte.gz: file not found"):
        load_tiny(tiny_dataset)


def test_wrong_magic_number(tiny_dataset):
    write_idx(tiny_dataset / "mnist" / "train-labels-idx1-ubyte.gz", np.zeros(12), magic=0x0802)
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz: wrong magic number 0x00000802"):
        load_tiny(tiny_dataset)


def test_truncated_payload(tiny_dataset):
    path = tiny_dataset / "mnist" / "train-images-idx3-ubyte"
    with gzip.open(path.with_suffix(".gz"), "rb") as src:
        raw = src.read()
    path.with_suffix(".gz").unlink()
    path.write_bytes(raw[:-100])
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte: truncated, the header promises 9,408 values"):
        load_tiny(tiny_dataset)


def test_truncated_gzip_stream(tiny_dataset):
    path = tiny_dataset / "mnist" / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.gz: the gzip stream ends early"):
        load_tiny(tiny_dataset)


def test_not_gzip_at_all(tiny_dataset):
    (tiny_dataset / "mnist" / "t10k-images-idx3-ubyte.gz").write_text("<html>404 not found</html>")
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz: not a valid gzip file"):
        load_tiny(tiny_dataset)


def test_image_and_label_counts_must_agree(tiny_dataset):
    write_idx(tiny_dataset / "mnist" / "t10k-labels-idx1-ubyte.gz", np.zeros(3))
    with pytest.raises(ValueError, match="4 test images but 3 test labels"):
        load_tiny(tiny_dataset)


def test_swapped_files(tiny_dataset):
    folder = tiny_dataset / "mnist"
    shutil.copy(folder / "train-images-idx3-ubyte.gz", folder / "train-labels-idx1-ubyte.gz")
    with pytest.raises(ValueError, match="files swapped"):
        load_tiny(tiny_dataset)


def test_checksums_refuse_non_standard_files(tiny_dataset):
    with pytest.raises(ValueError, match="checksum mismatch"):
        D.load_mnist(data_dir=tiny_dataset)


def test_offline_without_local_data_says_how_to_fix(monkeypatch):
    from tensorflow import keras

    def no_network():
        raise OSError("Temporary failure in name resolution")

    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", no_network)
    with pytest.raises(D.DatasetUnavailableError, match=f"set the environment variable {DATA_DIR_ENV}"):
        D.load_mnist()


# --- the real files -------------------------------------------------------


def test_real_mnist_matches_known_facts(real_data_dir):
    (x_train, y_train), (x_test, y_test) = D.load_mnist(data_dir=real_data_dir, normalize=False, flatten=False)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert round(float(x_train.mean()), 3) == 33.318


def test_real_fashion_mnist_loads(real_data_dir):
    (x_train, y_train), (x_test, _) = D.load_fashion_mnist(data_dir=real_data_dir, n_test=100)
    assert x_train.shape == (60000, 784) and x_test.shape == (100, 784)
    assert np.bincount(y_train).tolist() == [6000] * 10


def _copy_real(real_data_dir, tmp_path):
    folder = tmp_path / "mnist"
    shutil.copytree(real_data_dir / "mnist", folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


def test_a_corrupted_real_file_is_refused(real_data_dir, tmp_path):
    folder = _copy_real(real_data_dir, tmp_path)
    target = folder / "t10k-labels-idx1-ubyte.gz"
    with gzip.open(target, "rb") as src:
        raw = bytearray(src.read())
    raw[100] = (raw[100] + 1) % 10  # one label changed: still a valid IDX file
    with gzip.open(target, "wb") as dst:
        dst.write(bytes(raw))
    with pytest.raises(ValueError, match="t10k-labels-idx1-ubyte.gz: checksum mismatch"):
        D.load_mnist(data_dir=tmp_path)


def test_a_truncated_real_file_is_refused(real_data_dir, tmp_path):
    folder = _copy_real(real_data_dir, tmp_path)
    target = folder / "t10k-images-idx3-ubyte.gz"
    target.write_bytes(target.read_bytes()[:500_000])
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz: the gzip stream ends early"):
        D.load_mnist(data_dir=tmp_path)
