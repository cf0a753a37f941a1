"""Fast serialisation of the response schemas: the same output as ``Schema.dump``.

Marshmallow walks its general machinery (accessors, error stores, hooks) for
every value, which was most of a diff or search request's time. ``dumper``
compiles a response schema once into plain functions over the schema's own
fields (their names, ``data_key``/``attribute``, nesting and types), keeping
marshmallow's rules: a missing key is left out, ``None`` stays ``None``,
strings, integers, floats and booleans are coerced as its fields coerce them.
A schema using something this module does not know (hooks, defaults, other
field types) is dumped by marshmallow itself, so the answer never differs.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from marshmallow import Schema, fields
from marshmallow.utils import missing

Dump = Callable[[Any], Any]


class _Unsupported(Exception):
    """The schema uses a feature the compiled dumper does not reproduce."""


@functools.cache
def dumper(schema: type[Schema]) -> Dump:
    """``schema().dump`` as a compiled function (one per schema class)."""
    instance = schema()
    try:
        return _compile_schema(instance)
    except _Unsupported:
        return instance.dump


def _lookup(obj: Any, key: str) -> Any:
    # marshmallow.utils.get_value for a key without dots: item, else attribute.
    if type(obj) is dict:
        value = obj.get(key, missing)
        return getattr(obj, key, missing) if value is missing else value
    if not hasattr(obj, "__getitem__"):
        return getattr(obj, key, missing)
    try:
        return obj[key]
    except (KeyError, IndexError, TypeError, AttributeError):
        return getattr(obj, key, missing)


def _compile_schema(schema: Schema) -> Dump:
    if schema.many or schema._hooks.get("pre_dump") or schema._hooks.get("post_dump") or schema.dict_class is not dict:
        raise _Unsupported(schema)
    plan = []
    for name, field in schema.dump_fields.items():
        source = name if field.attribute is None else field.attribute
        if "." in source or field.dump_default is not missing or not field._CHECK_ATTRIBUTE:
            raise _Unsupported(field)
        plan.append((source, name if field.data_key is None else field.data_key, _compile_value(field)))
    return _generate(plan)


def _generate(plan: list[tuple[str, str, Dump]]) -> Dump:
    """A function with one statement per field, for dicts (what the views pass); others take the loop."""
    lines = ["def dump(obj):",
             "    if type(obj) is not dict:",
             "        return dump_other(obj)",
             "    get = obj.get",
             "    out = {}"]
    namespace: dict[str, Any] = {"missing": missing, "getattr": getattr, "str": str, "_text": _text}
    for n, (source, key, convert) in enumerate(plan):
        namespace[f"convert{n}"] = convert
        if convert is _text:
            value = "value if type(value) is str else _text(value)"
        else:
            value = f"convert{n}(value)"
        lines += [f"    value = get({source!r}, missing)",
                  "    if value is missing:",
                  f"        value = getattr(obj, {source!r}, missing)",
                  "    if value is not missing:",
                  f"        out[{key!r}] = None if value is None else {value}"]
    lines.append("    return out")

    def dump_other(obj: Any) -> dict:
        out = {}
        for source, key, convert in plan:
            value = _lookup(obj, source)
            if value is missing:
                continue
            out[key] = None if value is None else convert(value)
        return out

    namespace["dump_other"] = dump_other
    exec("\n".join(lines), namespace)  # noqa: S102 - source built above from the schema's field names
    return namespace["dump"]


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _compile_value(field: fields.Field) -> Dump:
    """The conversion of one non-None value, as ``field._serialize`` does it."""
    kind = type(field)
    if kind is fields.String:
        return _text
    if kind is fields.Integer and not field.as_string:
        return int
    if kind is fields.Float and not field.as_string:
        return float
    if kind is fields.Boolean or kind is fields.Raw:
        return lambda value: value  # marshmallow passes these through as they are
    if kind is fields.List:
        inner = _compile_value(field.inner)
        return lambda value: [None if each is None else inner(each) for each in value]
    if kind is fields.Nested:
        nested = field.schema
        if nested.many or field.many or nested.only or nested.exclude:
            raise _Unsupported(field)
        return _compile_schema(nested)
    if kind is fields.Dict:
        if field.key_field is None and field.value_field is None:
            return dict
        keys = (lambda k: k) if field.key_field is None else _nullable(_compile_value(field.key_field))
        values = (lambda v: v) if field.value_field is None else _nullable(_compile_value(field.value_field))
        return lambda value: {keys(k): values(v) for k, v in value.items()}
    raise _Unsupported(field)


def _nullable(convert: Dump) -> Dump:
    return lambda value: None if value is None else convert(value)
