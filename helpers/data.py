"""MNIST and Fashion-MNIST, offline when a local copy exists.

:func:`load_mnist` and :func:`load_fashion_mnist` return exactly what
``keras.datasets.mnist.load_data()`` returns, ``(x_train, y_train), (x_test,
y_test)`` with uint8 images of 28 x 28 pixels, so the notebooks prepare the
data in view as the chapter does. They read, in order of preference:

1. the ``data_dir`` argument;
2. the folder named by the environment variable ``AUTOENCODERS_DATA_DIR``;
3. Keras' own download (needs internet).

A local folder holds ``mnist/`` and ``fashion-mnist/``, each with the four
original IDX files (``train-images-idx3-ubyte.gz`` ...). The SHA-256 of every
file's contents is checked, so a damaged copy is refused with a message that
names it.
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

__all__ = ["CLASS_NAMES", "load_fashion_mnist", "load_mnist"]

#: What each label (0 to 9) means, in each data set.
CLASS_NAMES = {
    "mnist": [str(digit) for digit in range(10)],
    "fashion_mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                      "Ankle boot"],
}  # fmt: skip

Split = tuple[np.ndarray, np.ndarray]

_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")

# SHA-256 of the decompressed files (the gzip bytes differ between mirrors, the contents do not).
_SHA256 = {
    ("mnist", _FILES[0]): "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    ("mnist", _FILES[1]): "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    ("mnist", _FILES[2]): "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    ("mnist", _FILES[3]): "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ("fashion-mnist", _FILES[0]): "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ("fashion-mnist", _FILES[1]): "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ("fashion-mnist", _FILES[2]): "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ("fashion-mnist", _FILES[3]): "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}


def _data_dir(data_dir: str | os.PathLike[str] | None) -> Path | None:
    """The local data folder to read, or ``None`` to download with Keras."""
    source = "argument data_dir"
    if data_dir is None:
        data_dir = os.environ.get(DATA_DIR_ENV, "").strip()
        if not data_dir:
            return None
        source = f"environment variable {DATA_DIR_ENV}"
    path = Path(data_dir).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(
            f"The {source} points at {str(path)!r}, which is not a directory. Point it at the folder that "
            f"holds 'mnist/' and 'fashion-mnist/', or unset it to download with Keras."
        )
    return path


def _read_idx(path: Path, sha256: str | None) -> np.ndarray:
    """One IDX file (gzip-compressed when its name ends in .gz) as a uint8 array."""
    data = path.read_bytes()
    if not data:
        raise ValueError(f"{path}: the file is empty (0 bytes), e.g. after an interrupted download or copy. "
                         "Replace it with a fresh copy.")  # fmt: skip
    if path.suffix == ".gz" and not data.startswith(b"\x1f\x8b"):
        kind = "a web page (a failed download?)" if data.lstrip()[:1] == b"<" else "some other file"
        kind = "an uncompressed IDX file" if data[:4] in (b"\0\0\x08\x01", b"\0\0\x08\x03") else kind
        raise ValueError(f"{path}: not gzip-compressed, although its name ends in .gz; it looks like {kind}. "
                         "Replace it with the original (or drop .gz from the name of an IDX file).")  # fmt: skip
    try:
        raw = gzip.decompress(data) if path.suffix == ".gz" else data
    except (EOFError, OSError, zlib.error) as err:
        raise ValueError(f"{path}: the compressed data is damaged or cut short ({err}), e.g. by an interrupted "
                         "download or copy. Replace it with a fresh copy.") from err  # fmt: skip
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        raise ValueError(f"{path}: checksum mismatch, the file is damaged or not the standard one. Replace it.")
    if len(raw) < 8:
        raise ValueError(f"{path}: only {len(raw)} bytes, too short for an IDX file (truncated?).")
    (magic,) = struct.unpack(">I", raw[:4])
    ndim = {0x801: 1, 0x803: 3}.get(magic)
    if ndim is None:
        raise ValueError(f"{path}: wrong magic number 0x{magic:08x}; is this an IDX file?")
    header = 4 + 4 * ndim
    shape = struct.unpack(f">{ndim}I", raw[4:header]) if len(raw) >= header else ()
    if len(shape) != ndim or len(raw) - header != int(np.prod(shape)):
        raise ValueError(f"{path}: the file is truncated or has extra bytes; replace it with a fresh copy.")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape).copy()


def _load(name: str, data_dir: str | os.PathLike[str] | None) -> tuple[Split, Split]:
    folder = _data_dir(data_dir)
    if folder is None:
        try:
            from tensorflow import keras

            return {"mnist": keras.datasets.mnist, "fashion-mnist": keras.datasets.fashion_mnist}[name].load_data()
        except Exception as err:  # a failed download surfaces as many error types
            raise RuntimeError(
                f"Could not download {name} with keras.datasets ({type(err).__name__}: {err}). If you are "
                f"offline, set the environment variable {DATA_DIR_ENV} to a folder that holds '{name}/' with "
                f"the four IDX files, e.g. os.environ['{DATA_DIR_ENV}'] = '/path/to/data' before loading."
            ) from err
    if not (folder / name).is_dir() and (folder / f"{_FILES[0]}.gz").exists():
        raise FileNotFoundError(f"{folder} holds the IDX files themselves; point the data folder at its parent, "
                                f"the folder that holds '{folder.name}/' (e.g. {folder.parent}).")  # fmt: skip
    arrays = []
    for stem in _FILES:
        candidates = (folder / name / f"{stem}.gz", folder / name / stem)
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            where = next((p for p in candidates if p.exists()), None)
            if where is not None:
                raise IsADirectoryError(f"{where} is a folder, where the data file of that name should be; "
                                        "put the file itself there (was it unpacked into a folder?).")  # fmt: skip
            raise FileNotFoundError(f"{candidates[0]}: file not found in the data folder {folder}, which needs "
                                    f"'{name}/' with the four IDX files (see the README, 'Offline data').")  # fmt: skip
        arrays.append(_read_idx(path, _SHA256[(name, stem)]))
    return (arrays[0], arrays[1]), (arrays[2], arrays[3])


def load_mnist(data_dir: str | os.PathLike[str] | None = None) -> tuple[Split, Split]:
    """The MNIST digits, as ``keras.datasets.mnist.load_data()`` gives them (uint8, 28 x 28)."""
    return _load("mnist", data_dir)


def load_fashion_mnist(data_dir: str | os.PathLike[str] | None = None) -> tuple[Split, Split]:
    """Fashion-MNIST (clothes), in the same format as :func:`load_mnist`."""
    return _load("fashion-mnist", data_dir)
