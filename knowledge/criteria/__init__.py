"""OCOP criteria as data: editions, product sets, scoring sheets, and the checks a sheet must pass.

Bundled files (this folder) hold what cited sources state; an OCOP office loads official sheets
with `ocop-bot criteria import`, which the bot stores in its database and reads through
`Sheet.from_dict` like the bundled ones.

- `model`: the dataclasses (Edition, ProductSet, Sheet, Part, Criterion, Option, Disqualifier).
- `catalogue`: editions by date, product sets by sector and group, bundled documents, find_sets.
- `checks`: what a sheet document must satisfy. `build`: document → Sheet.
"""

from knowledge.criteria.build import bundled_sheets, check_bundled, sheet_from_dict
from knowledge.criteria.catalogue import (
    SetMatch,
    bundled_documents,
    current_edition,
    editions,
    find_sets,
    groups,
    in_force_set,
    named_sets,
    product_sets,
    sectors,
    set_asked,
)
from knowledge.criteria.checks import SheetError, check_sheet
from knowledge.criteria.model import (
    Criterion,
    Disqualifier,
    Edition,
    Option,
    Part,
    ProductSet,
    Sheet,
)

__all__ = [
    "Criterion",
    "Disqualifier",
    "Edition",
    "Option",
    "Part",
    "ProductSet",
    "SetMatch",
    "Sheet",
    "SheetError",
    "bundled_documents",
    "bundled_sheets",
    "check_bundled",
    "check_sheet",
    "current_edition",
    "editions",
    "find_sets",
    "named_sets",
    "set_asked",
    "groups",
    "in_force_set",
    "in_force_set",
    "product_sets",
    "sectors",
    "sheet_from_dict",
]
