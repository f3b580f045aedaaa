"""Load MNIST and Fashion-MNIST as numpy arrays, offline when a local copy exists.

Where the data comes from, in order:

1. the ``data_dir`` argument, if given;
2. the folder named by the environment variable ``AUTOENCODERS_DATA_DIR``;
3. otherwise Keras' own download (``keras.datasets``), which needs internet.

A local folder holds one sub-folder per dataset (``mnist/``,
``fashion-mnist/``), each with the four original IDX files, gzip-compressed
(``train-images-idx3-ubyte.gz`` ...) or not. The SHA-256 of the decompressed
bytes of the standard files is checked, so a corrupted or truncated download
is refused with a message that says which file is wrong.

Example:
    >>> (x_train, y_train), (x_test, y_test) = load_mnist(n_train=1000)  # doctest: +SKIP
    >>> x_train.shape, x_train.dtype, float(x_train.max())                 # doctest: +SKIP
    ((1000, 784), dtype('float32'), 1.0)
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from helpers import DATA_DIR_ENV

__all__ = [
    "DATASETS",
    "DatasetUnavailableError",
    "read_idx",
    "load_dataset",
    "load_mnist",
    "load_fashion_mnist",
    "resolve_data_dir",
    "FASHION_MNIST_CLASSES",
]

Split = tuple[np.ndarray, np.ndarray]

#: Sub-folder name of each dataset inside a data directory.
DATASETS = ("mnist", "fashion-mnist")

#: The class names of Fashion-MNIST, in label order.
FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip

_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

# SHA-256 of the *decompressed* IDX files. The gzip bytes differ between
# mirrors; the decompressed bytes are the same everywhere.
_SHA256 = {
    ("mnist", "train-labels-idx1-ubyte"): "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    ("mnist", "train-images-idx3-ubyte"): "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    ("mnist", "t10k-labels-idx1-ubyte"): "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ("mnist", "t10k-images-idx3-ubyte"): "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    ("fashion-mnist", "train-labels-idx1-ubyte"): "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ("fashion-mnist", "train-images-idx3-ubyte"): "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ("fashion-mnist", "t10k-labels-idx1-ubyte"): "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ("fashion-mnist", "t10k-images-idx3-ubyte"): "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
}

_IMAGES_MAGIC = 0x00000803
_LABELS_MAGIC = 0x00000801


class DatasetUnavailableError(RuntimeError):
    """Raised when no local copy is configured and the download fails."""


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the local data folder to use, or ``None`` to use Keras' download.

    ``data_dir`` wins over the ``AUTOENCODERS_DATA_DIR`` environment variable.
    A folder that is named but does not exist is an error (a typo should not
    silently turn into a download attempt).
    """
    source = "argument data_dir"
    if data_dir is None:
        env = os.environ.get(DATA_DIR_ENV, "").strip()
        if not env:
            return None
        data_dir, source = env, f"environment variable {DATA_DIR_ENV}"
    path = Path(data_dir).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(
            f"The {source} points at {str(path)!r}, which is not a directory. "
            f"Point it at the folder that holds 'mnist/' and 'fashion-mnist/' "
            f"(in this project: ../shared/data), or unset it to download with Keras."
        )
    return path


def _read_raw(path: Path) -> bytes:
    """Read an IDX file, decompressing it when its name ends in .gz."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: file not found.")
    if path.suffix != ".gz":
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read()
    except EOFError as err:
        raise ValueError(f"{path}: the gzip stream ends early, the file is truncated. Download it again.") from err
    except (OSError, zlib.error) as err:
        raise ValueError(f"{path}: not a valid gzip file ({err}). Download it again.") from err


def read_idx(path: str | os.PathLike[str], *, expected_sha256: str | None = None) -> np.ndarray:
    """Read one IDX file (``.gz`` or raw) into a uint8 array.

    Images come back with shape ``(count, rows, cols)``, labels with shape
    ``(count,)``. Raises ``ValueError`` with the file name for a wrong magic
    number, a truncated payload or a checksum mismatch.

    Example:
        >>> labels = read_idx("train-labels-idx1-ubyte.gz")  # doctest: +SKIP
    """
    path = Path(path)
    raw = _read_raw(path)
    if expected_sha256 is not None:
        digest = hashlib.sha256(raw).hexdigest()
        if digest != expected_sha256:
            raise ValueError(
                f"{path}: checksum mismatch, the file is corrupted or not the standard one "
                f"(SHA-256 of its contents is {digest[:16]}..., expected {expected_sha256[:16]}...). "
                f"Replace it with a fresh copy."
            )
    if len(raw) < 8:
        raise ValueError(f"{path}: only {len(raw)} bytes, too short for an IDX header (file truncated?).")
    (magic,) = struct.unpack(">I", raw[:4])
    if magic == _IMAGES_MAGIC:
        header_len, names = 16, "count, rows, cols"
    elif magic == _LABELS_MAGIC:
        header_len, names = 8, "count"
    else:
        raise ValueError(
            f"{path}: wrong magic number 0x{magic:08x}; expected 0x{_IMAGES_MAGIC:08x} (images) "
            f"or 0x{_LABELS_MAGIC:08x} (labels). Is this an IDX file?"
        )
    if len(raw) < header_len:
        raise ValueError(f"{path}: the header ({names}) is cut short; the file is truncated.")
    dims = struct.unpack(f">{(header_len - 4) // 4}I", raw[4:header_len])
    expected = int(np.prod(dims))
    payload = len(raw) - header_len
    if payload < expected:
        raise ValueError(
            f"{path}: truncated, the header promises {expected:,} values {dims} but only {payload:,} follow."
        )
    if payload > expected:
        raise ValueError(f"{path}: {payload - expected:,} unexpected bytes after the {expected:,} values {dims}.")
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(dims)


def _find_file(folder: Path, stem: str) -> Path:
    for candidate in (folder / f"{stem}.gz", folder / stem):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"{folder / (stem + '.gz')}: file not found. The folder {folder} must hold the four IDX files "
        f"{', '.join(s + '.gz' for s in _FILES.values())}."
    )


def _load_local(folder: Path, name: str, verify: bool) -> tuple[Split, Split]:
    arrays = {}
    for key, stem in _FILES.items():
        path = _find_file(folder, stem)
        arrays[key] = read_idx(path, expected_sha256=_SHA256.get((name, stem)) if verify else None)
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.ndim != 3 or labels.ndim != 1:
            raise ValueError(
                f"{folder}: the {split} images file must be 3-D and the labels file 1-D; "
                f"got {images.ndim}-D and {labels.ndim}-D (files swapped?)."
            )
        if len(images) != len(labels):
            raise ValueError(
                f"{folder}: {len(images):,} {split} images but {len(labels):,} {split} labels; "
                f"the two files must have the same count."
            )
    return (
        (arrays["train_images"], arrays["train_labels"]),
        (arrays["test_images"], arrays["test_labels"]),
    )


def _load_keras(name: str) -> tuple[Split, Split]:
    try:
        from tensorflow import keras

        loader = {"mnist": keras.datasets.mnist, "fashion-mnist": keras.datasets.fashion_mnist}[name]
        return loader.load_data()
    except Exception as err:  # a failed download surfaces as many error types
        raise DatasetUnavailableError(
            f"Could not download {name} with keras.datasets ({type(err).__name__}: {err}).\n"
            f"If you are offline, use a local copy of the IDX files: set the environment variable "
            f"{DATA_DIR_ENV} to the folder that holds '{name}/' (for example "
            f"`export {DATA_DIR_ENV}=/path/to/shared/data`, or in a notebook "
            f"`os.environ['{DATA_DIR_ENV}'] = '/path/to/shared/data'`), or pass data_dir=... ."
        ) from err


def _check_count(name: str, value: int | None, available: int) -> int:
    if value is None:
        return available
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int or None, got {type(value).__name__} {value!r}.")
    if not 1 <= value <= available:
        raise ValueError(f"{name} must be between 1 and {available:,}, got {value:,}.")
    return int(value)


def load_dataset(
    name: str,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    normalize: bool = True,
    flatten: bool = True,
    n_train: int | None = None,
    n_test: int | None = None,
    verify: bool = True,
) -> tuple[Split, Split]:
    """Load ``"mnist"`` or ``"fashion-mnist"`` as ``(x_train, y_train), (x_test, y_test)``.

    Args:
        name: ``"mnist"`` or ``"fashion-mnist"``.
        data_dir: local folder with one sub-folder per dataset; defaults to
            ``$AUTOENCODERS_DATA_DIR``, then to Keras' download.
        normalize: cast images to float32 and scale them to [0, 1] (else uint8).
        flatten: reshape each 28x28 image to a vector of 784 values.
        n_train, n_test: keep only the first n examples of each split (the
            files are already in random order); ``None`` keeps all.
        verify: check the SHA-256 of the standard files.

    Labels are always int64 and are meant for colouring plots and scoring,
    never for training an autoencoder.
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {DATASETS}, got {name!r}.")
    folder = resolve_data_dir(data_dir)
    if folder is None:
        (x_train, y_train), (x_test, y_test) = _load_keras(name)
    else:
        sub = folder / name
        if not sub.is_dir():
            raise FileNotFoundError(
                f"{sub}: directory not found. The data folder {folder} must contain a '{name}/' "
                f"sub-folder with the four IDX files."
            )
        (x_train, y_train), (x_test, y_test) = _load_local(sub, name, verify)
    n_train = _check_count("n_train", n_train, len(x_train))
    n_test = _check_count("n_test", n_test, len(x_test))
    splits = []
    for x, y, n in ((x_train, y_train, n_train), (x_test, y_test, n_test)):
        x, y = x[:n], y[:n].astype(np.int64)
        if normalize:
            x = x.astype(np.float32) / np.float32(255.0)
        else:
            x = np.array(x, dtype=np.uint8)  # a writable copy, not a view of the file buffer
        if flatten:
            x = x.reshape(len(x), -1)
        splits.append((x, y))
    return splits[0], splits[1]


def load_mnist(**kwargs) -> tuple[Split, Split]:
    """MNIST digits; see :func:`load_dataset` for the keyword arguments."""
    return load_dataset("mnist", **kwargs)


def load_fashion_mnist(**kwargs) -> tuple[Split, Split]:
    """Fashion-MNIST clothing images; see :func:`load_dataset` for the keyword arguments."""
    return load_dataset("fashion-mnist", **kwargs)
