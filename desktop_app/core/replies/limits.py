"""Work and size limits of a render: steps counted, big values and numbers refused."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from jinja2 import Environment
from jinja2.exceptions import SecurityError
from jinja2.filters import sync_do_join
from jinja2.nodes import EvalContext
from jinja2.utils import _PassArg, pass_environment, pass_eval_context

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


def measure(value: Any, limit: int = MAX_OUTPUT) -> int:
    """About how many characters `value` prints as, counting only until past `limit`."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, bool | float | None):
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item)
            stack.extend(list(item)[: limit + 1])
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend(list(item.items())[: limit + 1])
        else:
            total += 20
    return total


def checked(value: Any) -> Any:
    """`value`, unless it is (or prints as) something too big for a reply."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_INT_BITS:
            raise TooMuchWork("the template builds a number too big for a reply")
    elif measure(value) > MAX_OUTPUT:
        raise TooMuchWork(f"the template builds a value longer than {MAX_OUTPUT:,} characters")
    return value


def guarded_filter(f: Callable[..., Any]) -> Callable[..., Any]:
    """A Jinja2 filter whose input and output are size-checked."""
    skip = 1 if _PassArg.from_obj(f) is not None else 0

    @functools.wraps(f)
    def run(*args: Any, **kwargs: Any) -> Any:
        spend()
        for value in (*args[skip:], *kwargs.values()):
            checked(value)
        return checked(f(*args, **kwargs))

    return run


@pass_environment
def safe_sum(
    environment: Environment, iterable: Iterable[Any], attribute: str | None = None, start: Any = 0
) -> Any:
    """Jinja2's `sum` for numbers only (adding lists or text could build a huge value)."""
    total: Any = start
    for item in iterable:
        value = item if attribute is None else environment.getattr(item, attribute)
        for number in (total, value):
            if isinstance(number, bool) or not isinstance(number, int | float | Decimal):
                raise TypeError("sum() in a reply adds numbers only")
        total = checked(operator.add(total, value))
    return total


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
    if measure(items) + measure(d) * len(items) > MAX_OUTPUT:
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
