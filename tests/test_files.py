import json

import pytest

from helpers.files import atomic_path, read_json, write_json_atomic


def test_write_json_atomic_round_trip(tmp_path):
    target = tmp_path / "sub" / "x.json"
    write_json_atomic(target, {"b": 1, "a": [1.5]})
    assert read_json(target) == {"a": [1.5], "b": 1}
    assert [p.name for p in target.parent.iterdir()] == ["x.json"]


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "x.json"
    write_json_atomic(target, {"old": True})
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half of a new fi")
            raise RuntimeError("crash in the middle of writing")
    assert json.loads(target.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_non_finite_numbers_are_refused(tmp_path):
    with pytest.raises(ValueError):
        write_json_atomic(tmp_path / "x.json", {"loss": float("nan")})
    assert not (tmp_path / "x.json").exists()


def test_read_json_names_a_broken_file(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"a": ')
    with pytest.raises(ValueError, match="broken.json is not valid JSON"):
        read_json(broken)
