"""The bottom of the house: the catalog records, findings, input errors, values and text folding.

Nothing here imports the rest of catalog_cli. ``from catalog_cli.model import Leaf`` and the other
record names keep working from :mod:`catalog_cli.model.records`.
"""

from catalog_cli.model.records import (
    CHILD_CLASSES,
    RECORD_CLASSES,
    Bundle,
    Catalog,
    CodeScheme,
    Fee,
    Leaf,
    MainItem,
    Material,
    Orphans,
    Situation,
    Source,
    Step,
    TimeLimit,
    data_fields,
    record_from_dict,
    record_to_dict,
    time_limit_to_dict,
)

__all__ = [
    "CHILD_CLASSES",
    "RECORD_CLASSES",
    "Bundle",
    "Catalog",
    "CodeScheme",
    "Fee",
    "Leaf",
    "MainItem",
    "Material",
    "Orphans",
    "Situation",
    "Source",
    "Step",
    "TimeLimit",
    "data_fields",
    "record_from_dict",
    "record_to_dict",
    "time_limit_to_dict",
]
