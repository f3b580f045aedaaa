"""The examples in the helpers' docstrings run, and give what they show."""

import doctest
import importlib
import pkgutil
import re

import pytest

import helpers

MODULES = ["helpers"] + [f"helpers.{m.name}" for m in pkgutil.iter_modules(helpers.__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    failed, _ = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert failed == 0


def test_there_are_docstring_examples():
    found = {name: doctest.testmod(importlib.import_module(name)).attempted for name in MODULES}
    assert sum(found.values()) >= 1, found
    assert found["helpers.exercises"] >= 1


def test_the_package_docstring_imports_modules_that_exist():
    line = re.search(r"from helpers import ([\w, ]+)", helpers.__doc__).group(1)
    for name in line.split(", "):
        importlib.import_module(f"helpers.{name}")
