"""The Jinja2 sandbox replies render in: no escapes, no runaway loops, missing values named."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any, NoReturn, cast

from jinja2 import Undefined, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.filters import FILTERS
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from desktop_app.core.replies.limits import (
    MAX_OUTPUT,
    MAX_SOURCE,
    TooMuchWork,
    budget,
    checked,
    guarded_filter,
    guarded_loop,
    modulo,
    plus,
    power,
    safe_join,
    safe_range,
    safe_sum,
    spend,
    times,
)

# Jinja2's filters that cannot blow up memory or reach outside; `default` is left out on purpose
# (a missing value must stop the reply, not vanish), as are `center`, `indent`, `format`,
# `replace`, `wordwrap`, `batch` and `slice` (one call can build a huge value or loop for
# long) and `pprint`, `random`, `xmlattr`, `tojson`. Each is wrapped: input and output sized.
SAFE_FILTERS = (
    "abs", "attr", "capitalize", "count", "dictsort", "e", "escape", "first", "float",
    "groupby", "int", "items", "last", "length", "list", "lower", "map", "max", "min", "reject",
    "rejectattr", "reverse", "round", "select", "selectattr", "sort", "string", "striptags",
    "title", "trim", "truncate", "unique", "upper", "urlencode", "wordcount",
)  # fmt: skip
SAFE_STR_METHODS = frozenset(
    [
        "capitalize",
        "casefold",
        "count",
        "endswith",
        "find",
        "isalpha",
        "isdigit",
        "isspace",
        "lower",
        "lstrip",
        "removeprefix",
        "removesuffix",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "title",
        "upper",
    ]
)

_missing: ContextVar[list[str] | None] = ContextVar("shopdesk_missing", default=None)


class MissingValue(UndefinedError):
    """A value the template prints is missing; `path` names it ("order.tracking_number")."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class Values:
    """A read-only group of values a template reads (`order`, `customer`); knows its name."""

    __slots__ = ("_path", "_values")

    def __init__(self, path: str, values: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError("template values are read-only")

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __repr__(self) -> str:
        return f"<{self._path}>"

    def __str__(self) -> str:
        example = next(iter(self._values), "name")
        raise ValueError(
            f"{self._path} is a group of values: print one of them, such as {self._path}.{example}"
        )

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


def undefined_path(value: Undefined) -> str:
    """The dotted name of a missing value ("order.tracking_number", "discount_code")."""
    name = str(value._undefined_name or "value")
    owner = value._undefined_obj
    if isinstance(owner, Values):
        return f"{owner._path}.{name}"
    return name


class CollectingUndefined(Undefined):
    """A missing value that notes its name wherever it is used and stands in as blank."""

    __slots__ = ()

    def _note(self) -> None:
        found = _missing.get()
        path = undefined_path(self)
        if any(part.startswith("_") for part in path.split(".")):
            raise SecurityError(f"templates may not read {path!r}")
        if found is not None and path not in found:
            found.append(path)

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        self._note()
        return self

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        self._note()
        return self

    def __str__(self) -> str:
        self._note()
        return ""

    def __iter__(self) -> Iterator[Any]:
        self._note()
        return iter(())

    def __len__(self) -> int:
        self._note()
        return 0

    def __eq__(self, other: object) -> bool:  # comparing with a missing value: it is needed
        self._note()
        return False

    def __ne__(self, other: object) -> bool:
        self._note()
        return True

    def __hash__(self) -> int:
        return id(type(self))

    def __bool__(self) -> bool:  # `{% if order.tracking_url %}` is how a template asks
        return False


class StrictestUndefined(Undefined):
    """A missing value that refuses every use but a truth test (false) and `is defined`."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise MissingValue(undefined_path(self))

    __iter__ = __str__ = __len__ = _fail_with_undefined_error
    __eq__ = __ne__ = __hash__ = __contains__ = _fail_with_undefined_error

    def __bool__(self) -> bool:
        return False


class ReplyEnvironment(ImmutableSandboxedEnvironment):
    """Text replies: no autoescape, no loader, only safe filters, work and size capped."""

    intercepted_binops = frozenset(["+", "*", "**", "%", "//"])

    def __init__(self, undefined: type[Undefined], filters: Mapping[str, Callable[..., Any]]):
        super().__init__(
            autoescape=False,
            undefined=undefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=(),
            cache_size=0,
            finalize=checked,
        )
        self.filters = {name: guarded_filter(FILTERS[name]) for name in SAFE_FILTERS}
        self.filters["join"] = guarded_filter(safe_join)
        self.filters["sum"] = guarded_filter(safe_sum)
        self.filters.update({name: guarded_filter(f) for name, f in filters.items()})
        self.globals = {"range": safe_range, "_loop_guard": guarded_loop, "_sized": checked}
        self.binop_table = {
            **self.binop_table,
            "+": plus,
            "*": times,
            "**": power,
            "%": modulo,
        }

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Text's `format` and `format_map` are refused (a width like {0:>999999999} alone
        builds a huge string); a template joins text with `~`."""
        if super().wrap_str_format(value) is None:
            return None

        def refuse(*args: Any, **kwargs: Any) -> str:
            raise SecurityError("templates may not call the text method 'format'")

        return refuse

    def unsafe_undefined(self, obj: Any, attribute: str) -> NoReturn:
        raise SecurityError(f"templates may not read {attribute!r}")

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        spend()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and getattr(__obj, "__name__", "") not in SAFE_STR_METHODS:
            raise SecurityError(f"templates may not call the text method {__obj.__name__!r}")
        return checked(super().call(__context, __obj, *args, **kwargs))

    def guarded(self, source: str) -> nodes.Template:
        """Parse `source` with every loop counted and every joined string size-checked."""
        if len(source) > MAX_SOURCE:
            raise TooMuchWork(f"the template is longer than {MAX_SOURCE:,} characters")
        tree = _Guard().visit(self.parse(source))
        assert isinstance(tree, nodes.Template)
        return tree


class _Guard(NodeTransformer):
    """Counts every loop turn; sizes every `~` result before it is used."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _call("_loop_guard", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [_call("_sized", part) for part in node.nodes]
        return _call("_sized", node)


def _call(name: str, arg: nodes.Node) -> nodes.Call:
    return nodes.Call(nodes.Name(name, "load"), [cast(nodes.Expr, arg)], [], None, None)


def render_text(env: ReplyEnvironment, source: str, context: Mapping[str, Any]) -> str:
    """Render one template text under the work budget and the output cap."""
    template = env.from_string(env.guarded(source))
    with budget():
        out: list[str] = []
        size = 0
        for chunk in template.generate(dict(context)):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TooMuchWork(f"the reply grows past {MAX_OUTPUT:,} characters")
            out.append(chunk)
        return "".join(out)


def collect_missing(env: ReplyEnvironment, source: str, context: Mapping[str, Any]) -> list[str]:
    """Render leniently and return the names of the missing values the text uses."""
    found: list[str] = []
    token = _missing.set(found)
    try:
        render_text(env, source, context)
    finally:
        _missing.reset(token)
    return found
