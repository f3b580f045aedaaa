"""Small tables for notebooks and the README, as Markdown text.

Example:
    >>> rows = [{"model": "a", "bce": 0.17412}, {"model": "PCA", "bce": 0.2}]
    >>> print(markdown_table(rows, [("model", "model", "{}"), ("bce", "val. BCE", "{:.4f}")]))
    | model | val. BCE |
    | --- | ---: |
    | a | 0.1741 |
    | PCA | 0.2000 |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["depth_experiment_table", "markdown_table", "pivot"]


def markdown_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str, str]]) -> str:
    """Format ``rows`` as a Markdown table.

    Args:
        rows: one mapping per row.
        columns: ``(key, header, format)`` triples; ``format`` is a
            ``str.format`` pattern such as ``"{:.4f}"``. Columns whose first
            value is a number are right-aligned. A missing key or a ``None``
            value prints as an em dash.
    """
    if not columns:
        raise ValueError("columns is empty; give (key, header, format) triples.")
    for column in columns:
        if len(column) != 3:
            raise ValueError(f"each column must be a (key, header, format) triple, got {column!r}.")
    lines = ["| " + " | ".join(header for _, header, _ in columns) + " |"]
    aligns = []
    for key, _, _ in columns:
        first = next((row.get(key) for row in rows if row.get(key) is not None), None)
        numeric = isinstance(first, (int, float)) and not isinstance(first, bool)
        aligns.append("---:" if numeric else "---")
    lines.append("| " + " | ".join(aligns) + " |")
    for row in rows:
        cells = []
        for key, _, pattern in columns:
            value = row.get(key)
            cells.append("—" if value is None else pattern.format(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def depth_experiment_table(rows: Sequence[Mapping[str, Any]], k_neighbours: int) -> str:
    """The results table of notebook 04 (also shown in the README), one row per model.

    Each row has ``model``, ``params``, ``seconds``, ``train_bce``, ``val_bce``,
    ``knn`` (k-NN accuracy of the 2-D codes) and ``chapter`` (the companion
    notebook's validation BCE, or None).
    """
    return markdown_table(
        rows,
        [
            ("model", "model", "{}"),
            ("params", "parameters", "{:,}"),
            ("seconds", "training time (s)", "{:.0f}"),
            ("train_bce", "training BCE", "{:.4f}"),
            ("val_bce", "validation BCE", "{:.4f}"),
            ("chapter", "companion notebook, val. BCE", "{:.4f}"),
            ("knn", f"{k_neighbours}-NN accuracy", "{:.1%}"),
        ],
    )


def pivot(
    records: Sequence[Mapping[str, Any]], *, rows: str, columns: str, values: str
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Reshape long records into one row per value of ``rows`` and one column per value of ``columns``.

    Returns the rows (each a dict with the ``rows`` key and one key per column
    value, ``None`` where a combination is missing) and the sorted column values.

    Example:
        >>> runs = [{"seed": 1, "model": "a", "bce": 0.2}, {"seed": 1, "model": "b", "bce": 0.3}]
        >>> pivot(runs, rows="seed", columns="model", values="bce")
        ([{'seed': 1, 'a': 0.2, 'b': 0.3}], ['a', 'b'])
    """
    for record in records:
        missing = [k for k in (rows, columns, values) if k not in record]
        if missing:
            raise ValueError(f"record {dict(record)} has no {missing}.")
    row_values = sorted({r[rows] for r in records})
    column_values = sorted({r[columns] for r in records})
    table = []
    for row_value in row_values:
        row: dict[str, Any] = {rows: row_value}
        for column_value in column_values:
            row[column_value] = next(
                (r[values] for r in records if r[rows] == row_value and r[columns] == column_value), None
            )
        table.append(row)
    return table, column_values
