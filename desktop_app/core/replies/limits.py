"""Work and size limits of a render: steps counted, big values and numbers refused."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.filters import sync_do_join
from jinja2.nodes import EvalContext
from jinja2.utils import pass_eval_context

MAX_OUTPUT = 100_000  # characters in one reply, and in any one value built on the way
MAX_STEPS = 10_000  # loop turns plus calls in one render
MAX_RANGE = 1_000
MAX_INT_BITS = 4_000
MAX_SOURCE = 50_000  # characters of template text
_steps: ContextVar[list[int]] = ContextVar("shopdesk_steps")


class TooMuchWork(SecurityError):
    """The template loops, calls or builds more than a reply ever needs."""


@contextmanager
def budget() -> Iterator[None]:
    """A fresh work budget for one render."""
    token = _steps.set([0])
    try:
        yield
    finally:
        _steps.reset(token)


def spend(count: int = 1) -> None:
    """Count work against this render's budget; refuse past it."""
    budget = _steps.get(None)
    if budget is None:
        return
    budget[0] += count
    if budget[0] > MAX_STEPS:
        raise TooMuchWork(f"the template does more than {MAX_STEPS:,} steps of work")


def checked(value: Any) -> Any:
    """`value`, unless it is a string or list too big for a reply."""
    if isinstance(value, str | list | tuple) and len(value) > MAX_OUTPUT:
        raise TooMuchWork(f"the template builds a value longer than {MAX_OUTPUT:,}")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TooMuchWork("the template builds a number too big for a reply")
    return value


def guarded_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    for item in iterable:
        spend()
        yield item


def safe_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise TooMuchWork(f"range() in a template gives at most {MAX_RANGE:,} numbers")
    return rng


@pass_eval_context
def safe_join(
    eval_ctx: EvalContext, value: Iterable[Any], d: str = "", attribute: str | int | None = None
) -> str:
    items = list(value)
    checked(items)
    size = sum(len(x) if isinstance(x, str) else 20 for x in items) + len(str(d)) * len(items)
    if size > MAX_OUTPUT:
        raise TooMuchWork(f"the template builds a value longer than {MAX_OUTPUT:,}")
    return str(checked(sync_do_join(eval_ctx, items, d, attribute)))


def power(left: Any, right: Any) -> Any:
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and right > 0
        and max(left.bit_length(), 1) * right > MAX_INT_BITS
    ):
        raise TooMuchWork("the template builds a number too big for a reply")
    return checked(left**right)


def times(left: Any, right: Any) -> Any:
    for seq, n in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > MAX_OUTPUT:
            raise TooMuchWork(f"the template builds a value longer than {MAX_OUTPUT:,}")
    if isinstance(left, int) and isinstance(right, int):
        checked(1 << (left.bit_length() + right.bit_length()))
    return checked(left * right)


def modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        raise SecurityError("string formatting with % is not allowed in templates")
    return left % right


def plus(left: Any, right: Any) -> Any:
    return checked(operator.add(left, right))
