"""course.fork takes only repository addresses GitHub itself would accept."""

import pytest

from course.fork import set_repo_url


def fork(tmp_path):
    """A repository with only helpers/__init__.py: enough for set_repo_url to have something to rewrite."""
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "__init__.py").write_text(
        'REPO_URL = "https://github.com/learn-autoencoders/autoencoders"\n'
    )
    return tmp_path


@pytest.mark.parametrize("url", [
    "https://github.com/my-school/autoencoders-2027", "https://github.com/my-school/autoencoders-2027.git",
    "https://github.com/my-school/autoencoders/", "https://github.com/a/b", "https://github.com/A1-b2-C3/x.y_z-1",
    f"https://github.com/{'o' * 39}/repo", "https://github.com/school/.github", "https://github.com/school/a..b",
])  # fmt: skip
def test_addresses_github_allows_are_taken(tmp_path, url):
    assert set_repo_url(url, root=fork(tmp_path)) == [tmp_path / "helpers" / "__init__.py"]
    written = url.rstrip("/").removesuffix(".git")
    assert (tmp_path / "helpers" / "__init__.py").read_text() == f'REPO_URL = "{written}"\n'


BAD = {
    "../..": ("https://github.com/../..", "owner '..'"),
    "-/.": ("https://github.com/-/.", "owner '-'"),
    "owner starts with a hyphen": ("https://github.com/-school/autoencoders", "owner '-school'"),
    "owner ends with a hyphen": ("https://github.com/school-/autoencoders", "owner 'school-'"),
    "two hyphens in a row": ("https://github.com/my--school/autoencoders", "owner 'my--school'"),
    "owner of 40 characters": (f"https://github.com/{'o' * 40}/autoencoders", "at most 39 characters"),
    "underscore in the owner": ("https://github.com/my_school/autoencoders", "owner 'my_school'"),
    "dot in the owner": ("https://github.com/my.school/autoencoders", "owner 'my.school'"),
    "repository '.'": ("https://github.com/school/.", "repository '.'"),
    "repository '..'": ("https://github.com/school/..", "repository '..'"),
    "space in the repository": ("https://github.com/school/auto encoders", "repository 'auto encoders'"),
    "repository of 101 characters": (f"https://github.com/school/{'r' * 101}", "at most 100 characters"),
    "no repository": ("https://github.com/school", "like https://github.com/owner/name"),
    "a path below the repository": ("https://github.com/school/autoencoders/tree/main", "like https://github.com"),
    "not GitHub": ("https://gitlab.com/school/autoencoders", "like https://github.com/owner/name"),
    ".git twice": ("https://github.com/school/autoencoders.git.git", "ends in '.git' twice over"),
    ".git twice, upper case": ("https://github.com/school/autoencoders.GIT.git", "ends in '.git' twice over"),
}


@pytest.mark.parametrize(("url", "why"), BAD.values(), ids=BAD)
def test_addresses_github_refuses_are_refused_before_anything_is_written(tmp_path, url, why):
    before = (fork(tmp_path) / "helpers" / "__init__.py").read_text()
    with pytest.raises(ValueError, match="is not a GitHub repository address") as refused:
        set_repo_url(url, root=tmp_path)
    assert why in str(refused.value)
    assert (tmp_path / "helpers" / "__init__.py").read_text() == before
