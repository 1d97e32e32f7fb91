"""summary.csv's columns, read from lib/schema.def (the one list).

The tests' Python code takes its column lists from here rather than keeping
copies: columns() gives one Column per OSW_COL(...) line, in file order,
with the macro's arguments as text (fmt, dflt and unit without their quotes);
names() the header's names. Import it with

    sys.path.insert(0, "<the tests/ directory>")
    import osw_schema

The exact expected header is asserted once, by test_unit's
csv_schema_version (a guard against an accidental change of schema.def).
"""
import collections
import csv
import os

SCHEMA_DEF = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib",
                          "schema.def")
Column = collections.namedtuple("Column", "name kind size fmt need dflt min max unit")


def columns(path=SCHEMA_DEF):
    cols = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.startswith("OSW_COL("):
                continue
            body = line.strip()
            if not body.endswith(")"):
                raise ValueError(f"{path}:{lineno}: an OSW_COL line must end with ')'")
            args = next(csv.reader([body[len("OSW_COL("):-1]], skipinitialspace=True))
            if len(args) != len(Column._fields):
                raise ValueError(f"{path}:{lineno}: {len(args)} arguments, expected "
                                 f"{len(Column._fields)} ({', '.join(Column._fields)})")
            cols.append(Column(*(a.strip() for a in args)))
    if not cols:
        raise ValueError(f"{path}: no OSW_COL(...) lines")
    return cols


def names(path=SCHEMA_DEF):
    return [c.name for c in columns(path)]


def key_names(path=SCHEMA_DEF):
    """The KEY and KEYOPT columns: the configuration, samples.csv's leading columns."""
    return [c.name for c in columns(path) if c.need in ("KEY", "KEYOPT")]


def version(csv_h=os.path.join(os.path.dirname(SCHEMA_DEF), "csv.h")):
    """OSW_SCHEMA_VERSION of lib/csv.h: what meta.json's schema_version says."""
    with open(csv_h) as f:
        for line in f:
            words = line.split()
            if len(words) == 3 and words[:2] == ["#define", "OSW_SCHEMA_VERSION"]:
                return int(words[2])
    raise ValueError(f"{csv_h}: no #define OSW_SCHEMA_VERSION")
