"""Typed package data: a TOML file shipped in a package, read once into a frozen record.

Word banks and vocabularies are data, not code: the phrases live in TOML files next to the
modules that use them, and the code keeps typed access to them. ``load`` reads a file
through importlib.resources (so it is found in an installed package as well as in a
checkout) and builds the frozen dataclass it describes, checking every key on the way: a
missing, unknown or mistyped key fails at import with the file and key named, not halfway
through a draft.

A record's fields say how the TOML values become Python ones: ``str``, ``int`` and
``bool`` as they are; ``tuple[X, ...]`` from an array (order and repeats kept: a repeated
trigger word counts twice); a fixed ``tuple[X, Y]`` from an array of that length;
``frozenset[X]`` from an array; ``Mapping[str, X]`` from a table (read-only, in file
order); a nested dataclass from a table. A field named ``continue_`` reads the key
``continue``, for keys that are Python keywords.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

T = TypeVar("T")


class PackageDataError(ValueError):
    """A data file does not match the record that reads it: a bug in the file, not input."""


@cache
def read_toml(package: str, name: str) -> Mapping[str, Any]:
    """The parsed TOML file ``name`` ("data/beats.toml") inside ``package``, read once."""
    node = resources.files(package)
    for part in name.split("/"):  # one step at a time: not every Traversable takes a path
        node = node.joinpath(part)
    text = node.read_text("utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackageDataError(f"{package}/{name}: {exc}") from None


def load(record: type[T], package: str, name: str) -> T:
    """The record ``record`` built from the TOML file ``name`` inside ``package``."""
    return build(record, read_toml(package, name), f"{package}/{name}")


def build(record: type[T], table: Mapping[str, Any], where: str) -> T:
    """A ``record`` (a dataclass) from a parsed TOML table; ``where`` names it in errors."""
    if not dataclasses.is_dataclass(record):
        raise TypeError(f"{record!r} is not a dataclass")
    hints = _hints(record)
    fields = {_key(f.name): f for f in dataclasses.fields(record)}
    unknown = [k for k in table if k not in fields]
    if unknown:
        raise PackageDataError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
    values: dict[str, Any] = {}
    for key, f in fields.items():
        if key not in table:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise PackageDataError(f"{where}: missing key {key!r}")
            continue
        values[f.name] = _convert(hints[f.name], table[key], f"{where}.{key}")
    return record(**values)


@cache
def _hints(record: type) -> dict[str, Any]:
    """A record's field types, resolved once (a genre table is read a dozen times)."""
    return get_type_hints(record)


def _key(field_name: str) -> str:
    return field_name[:-1] if field_name.endswith("_") else field_name


def _convert(kind: Any, value: Any, where: str) -> Any:
    origin = get_origin(kind)
    args = get_args(kind)
    if kind in (str, bool):
        if type(value) is not kind:
            raise PackageDataError(f"{where}: expected {kind.__name__}, got {value!r}")
        return value
    if kind is int:
        if type(value) is not int:
            raise PackageDataError(f"{where}: expected int, got {value!r}")
        return value
    if origin is tuple:
        items = _array(value, where)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v, f"{where}[{i}]") for i, v in enumerate(items))
        if len(items) != len(args):
            raise PackageDataError(f"{where}: expected {len(args)} items, got {len(items)}")
        return tuple(
            _convert(a, v, f"{where}[{i}]")
            for i, (a, v) in enumerate(zip(args, items, strict=True))
        )
    if origin is frozenset:
        items = _array(value, where)
        return frozenset(_convert(args[0], v, f"{where}[{i}]") for i, v in enumerate(items))
    if origin is Mapping:
        if not isinstance(value, dict):
            raise PackageDataError(f"{where}: expected a table, got {value!r}")
        return types.MappingProxyType(
            {k: _convert(args[1], v, f"{where}.{k}") for k, v in value.items()}
        )
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(value, dict):
            raise PackageDataError(f"{where}: expected a table, got {value!r}")
        return build(kind, value, where)
    raise TypeError(f"{where}: a record field of type {kind!r} cannot be read from TOML")


def _array(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise PackageDataError(f"{where}: expected an array, got {value!r}")
    return value


__all__ = ["PackageDataError", "build", "load", "read_toml"]
