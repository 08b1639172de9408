"""RFC 5256 / JWZ threading by Message-ID, In-Reply-To and References, without subject merging."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

# Rules, with the reason for each where mail software disagrees:
# - Message-IDs compare exactly (the local part is case-sensitive) after dropping whitespace and
#   adding the angle brackets when missing.
# - An id without "@" (or with nothing on one side of it) is junk and ignored, as dovecot does.
#   notmuch accepts such tokens, but git-send-email users answering "yes" to its In-Reply-To
#   prompt put `<yes>` / `<Yes>` into unrelated patch series, which would all merge into one.
#   A message whose own Message-ID is junk is threaded as if it had none.
# - Grouping (`thread_of`, `ThreadIndex`) joins a message with every id it names: its own, all
#   of References and In-Reply-To (as notmuch does), so duplicate Message-IDs share a thread and
#   the grouping does not depend on the order messages arrive in.
# - The display tree follows RFC 5256 REFERENCES steps 1-4 and 6 (dovecot's behaviour): the
#   parent is the last References id, else In-Reply-To; links implied by the References chain
#   never replace an existing link; a link that would make a loop is not made; a second message
#   with an already used Message-ID gets a container of its own; messages are taken in key
#   order. Ghosts are then pruned: a ghost root with one child gives way to it, a ghost root
#   with several children stays, every other ghost is replaced by its children. Step 5 (subject
#   merging) is left out on purpose. Siblings and roots sort by date, then key; a message
#   without a date sorts first; naive datetimes are UTC.


@dataclass(frozen=True, slots=True)
class ThreadInput:
    """What threading needs from one message; `key` is the caller's id for it.

    Ids are as in the header (`<a@b>`; brackets optional). `subject` is not used: there is no
    subject merging here, it is carried for callers that suggest merges themselves.
    """

    key: int
    message_id: str | None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    date: datetime | None = None
    subject: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class Tree:
    """A node of the display tree: a message (`key`), or a ghost root (`key` None)."""

    key: int | None
    message_id: str | None
    children: tuple[Tree, ...] = ()

    def __repr__(self) -> str:  # shallow: trees can be 100,000 levels deep
        kids = len(self.children)
        return f"Tree(key={self.key}, message_id={self.message_id!r}, children={kids})"

    def all_keys(self) -> list[int]:
        """The message keys of this subtree in display order (depth first)."""
        out: list[int] = []
        stack: list[Tree] = [self]
        while stack:
            node = stack.pop()
            if node.key is not None:
                out.append(node.key)
            stack.extend(reversed(node.children))
        return out


@dataclass(frozen=True, slots=True, eq=False)
class ThreadForest:
    """The result of `build_threads`.

    `thread_of` maps each key to its thread id, the smallest key in the thread. `parent_of` maps
    each key to its parent in the display tree, the nearest real ancestor (None for roots and for
    children of a ghost root).
    """

    thread_of: dict[int, int]
    parent_of: dict[int, int | None]
    trees: tuple[Tree, ...] = field(default=())

    def roots(self) -> list[Tree]:
        """The display trees, oldest first (a thread may have several roots)."""
        return list(self.trees)

    def groups(self) -> list[list[int]]:
        """The keys of each thread, ascending; threads ordered by thread id."""
        by_thread: dict[int, list[int]] = {}
        for key in sorted(self.thread_of):
            by_thread.setdefault(self.thread_of[key], []).append(key)
        return [by_thread[tid] for tid in sorted(by_thread)]


_WELL_FORMED = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")
_BRACKETED = re.compile(r"<([^<>]*)>")


def normalize_id(value: str | None) -> str | None:
    """`value` as `<left@right>` without whitespace, or None when it is empty or junk.

    Angle brackets are optional; text around a bracketed id (a comment) is dropped, and of
    several bracketed tokens the first valid one is taken.
    """
    if not value:
        return None
    if _WELL_FORMED.fullmatch(value):
        return value
    text = "".join(value.split())
    candidates = _BRACKETED.findall(text) or [text.removeprefix("<").removesuffix(">")]
    for candidate in candidates:
        left, at, right = candidate.rpartition("@")
        if at and left and right and "<" not in candidate and ">" not in candidate:
            return f"<{candidate}>"
    return None


_Normalizer = Callable[[str | None], str | None]


def _memo_normalizer() -> _Normalizer:
    """`normalize_id` remembering its answers: References repeat the same ids many times."""
    seen: dict[str | None, str | None] = {}

    def norm(value: str | None) -> str | None:
        try:
            return seen[value]
        except KeyError:
            result = seen[value] = normalize_id(value)
            return result

    return norm


@dataclass(frozen=True, slots=True)
class _Ids:
    """A message's valid ids: its own, its RFC 5256 parent chain, and all it names (grouping)."""

    own: str | None
    chain: list[str]
    related: list[str]


def _ids_of(
    message_id: str | None,
    in_reply_to: str | None,
    references: Iterable[str],
    norm: _Normalizer = normalize_id,
) -> _Ids:
    own = norm(message_id)
    chain = [r for r in map(norm, references) if r is not None and r != own]
    reply = norm(in_reply_to)
    extra = [reply] if reply is not None and reply != own else []
    related = [own, *chain, *extra] if own is not None else chain + extra
    return _Ids(own, chain or extra, related)


def parent_chain(
    message_id: str | None, in_reply_to: str | None, references: Iterable[str]
) -> list[str]:
    """RFC 5256 references of a message: References, or In-Reply-To when there are none."""
    return _ids_of(message_id, in_reply_to, references).chain


class ThreadIndex:
    """Incremental grouping (union-find over Message-IDs, ghosts included) for one new message.

    A thread id is the key of the message that started the thread; when a message joins
    several threads they merge into the one with the smallest id, and `add` returns the others
    so the caller can re-point their messages. Fed in ascending key order, the ids equal
    `build_threads`' (the smallest key of each thread).
    """

    def __init__(self) -> None:
        self._node: dict[str, int] = {}
        self._up: list[int] = []
        self._size: list[int] = []
        self._tid: list[int] = []

    def __len__(self) -> int:
        return len(self._up)

    def _find(self, node: int) -> int:
        up = self._up
        while up[node] != node:
            up[node] = up[up[node]]
            node = up[node]
        return node

    def _root_of(self, message_id: str) -> int:
        node = self._node.get(message_id)
        if node is None:
            node = len(self._up)
            self._node[message_id] = node
            self._up.append(node)
            self._size.append(1)
            self._tid.append(-1)
            return node
        return self._find(node)

    def _join(self, roots: set[int], tid: int) -> None:
        top = max(roots, key=self._size.__getitem__)
        for root in roots:
            if root != top:
                self._up[root] = top
                self._size[top] += self._size[root]
        self._tid[top] = tid

    def add(
        self,
        key: int,
        message_id: str | None,
        in_reply_to: str | None = None,
        references: Iterable[str] = (),
    ) -> tuple[int, set[int]]:
        """Thread one new message: its thread id and the other thread ids merged into it."""
        return self._add(key, _ids_of(message_id, in_reply_to, references).related)

    def _add(self, key: int, ids: list[str]) -> tuple[int, set[int]]:
        if not ids:
            return key, set()
        roots = {self._root_of(i) for i in ids}
        found = {self._tid[r] for r in roots if self._tid[r] != -1}
        tid = min(found) if found else key
        self._join(roots, tid)
        found.discard(tid)
        return tid, found

    def thread_of_id(self, message_id: str) -> int | None:
        """The thread that `message_id` (a message or a ghost) belongs to, if known."""
        norm = normalize_id(message_id)
        node = self._node.get(norm) if norm is not None else None
        return None if node is None else self._tid[self._find(node)]


def _when(date: datetime | None) -> float:
    """A sortable time; naive datetimes are UTC, a missing date sorts first."""
    if date is None:
        return float("-inf")
    if date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    return date.timestamp()


class _Containers:
    """RFC 5256 step 1: containers per Message-ID (ghosts included) linked parent to child."""

    def __init__(self) -> None:
        self.by_id: dict[str, int] = {}
        self.parent: list[int] = []
        self.kids: list[int] = []  # number of children, for a cheap loop check
        self.key: list[int | None] = []
        self.mid: list[str | None] = []

    def _new(self, message_id: str | None, key: int | None) -> int:
        index = len(self.parent)
        self.parent.append(-1)
        self.kids.append(0)
        self.key.append(key)
        self.mid.append(message_id)
        return index

    def ghost(self, message_id: str) -> int:
        index = self.by_id.get(message_id)
        if index is None:
            index = self.by_id[message_id] = self._new(message_id, None)
        return index

    def own(self, message_id: str | None, key: int) -> int:
        """The container of a message; a duplicate or missing Message-ID gets a fresh one."""
        if message_id is None:
            return self._new(None, key)
        index = self.by_id.get(message_id)
        if index is None:
            index = self.by_id[message_id] = self._new(message_id, key)
        elif self.key[index] is None:
            self.key[index] = key
        else:
            index = self._new(message_id, key)
        return index

    def _is_ancestor(self, ancestor: int, node: int) -> bool:
        parent = self.parent
        while node != -1:
            if node == ancestor:
                return True
            node = parent[node]
        return False

    def link(self, parent: int, child: int) -> None:
        """Make `parent` the parent of `child` unless it has one or a loop would result."""
        if parent == child or self.parent[child] != -1:
            return
        if self.kids[child] and self._is_ancestor(child, parent):
            return
        self.parent[child] = parent
        self.kids[parent] += 1

    def unlink(self, child: int) -> None:
        parent = self.parent[child]
        if parent != -1:
            self.kids[parent] -= 1
            self.parent[child] = -1

    def add(self, key: int, ids: _Ids) -> None:
        index = self.own(ids.own, key)
        last = -1
        for ref in ids.chain:
            container = self.ghost(ref)
            if last != -1:
                self.link(last, container)
            last = container
        if self.parent[index] != last:
            self.unlink(index)
            if last != -1:
                self.link(last, index)

    def children(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for child, parent in enumerate(self.parent):
            if parent != -1:
                out.setdefault(parent, []).append(child)
        return out


@dataclass(slots=True)
class _Display:
    """RFC 5256 step 4: the tree without ghosts, except ghost roots with several children."""

    parent: dict[int, int] = field(default_factory=dict)  # real container -> real one or -1
    kids: dict[int, list[int]] = field(default_factory=dict)
    roots: list[int] = field(default_factory=list)


def _prune(boxes: _Containers) -> _Display:
    children = boxes.children()
    shown = _Display()
    for root, parent in enumerate(boxes.parent):
        if parent != -1:
            continue
        top = _walk_down(boxes, children, root, shown)
        if boxes.key[root] is not None or len(top) == 1:
            shown.roots.extend(top)
        elif top:
            shown.roots.append(root)
            shown.kids[root] = top
    return shown


def _walk_down(
    boxes: _Containers, children: dict[int, list[int]], root: int, shown: _Display
) -> list[int]:
    """Record each real message's nearest real ancestor; return those that have none."""
    top: list[int] = []
    stack = [(root, -1)]
    while stack:
        node, above = stack.pop()
        if boxes.key[node] is not None:
            shown.parent[node] = above
            if above == -1:
                top.append(node)
            else:
                shown.kids.setdefault(above, []).append(node)
            above = node
        stack.extend((child, above) for child in children.get(node, ()))
    return top


def _sort(boxes: _Containers, shown: _Display, when: list[float]) -> None:
    """RFC 5256 step 6: siblings by (date, key); a ghost root by its first child."""

    def order(container: int) -> tuple[float, int]:
        key = boxes.key[container]
        if key is None:
            return order(shown.kids[container][0])
        return when[container], key

    for kids in shown.kids.values():
        kids.sort(key=order)
    shown.roots.sort(key=order)


def _trees(boxes: _Containers, shown: _Display) -> list[Tree]:
    """Tree objects, built bottom-up without recursion."""
    built: dict[int, Tree] = {}
    for node in reversed(_preorder(shown)):
        kids = tuple(built.pop(k) for k in shown.kids.get(node, ()))
        built[node] = Tree(boxes.key[node], boxes.mid[node], kids)
    return [built.pop(root) for root in shown.roots]


def _preorder(shown: _Display) -> list[int]:
    out: list[int] = []
    stack = list(shown.roots)
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(shown.kids.get(node, ()))
    return out


def _dates(boxes: _Containers, ordered: list[ThreadInput]) -> list[float]:
    """Sort time per container (ghosts: -inf, never used)."""
    by_key = {m.key: m.date for m in ordered}
    return [_when(None if key is None else by_key[key]) for key in boxes.key]


def _thread_ids(ordered: list[ThreadInput], ids: list[_Ids]) -> dict[int, int]:
    """key -> smallest key of its thread, by union-find over every id a message names."""
    index = ThreadIndex()
    for m, found in zip(ordered, ids, strict=True):
        index._add(m.key, found.related)
    out: dict[int, int] = {}
    for m, found in zip(ordered, ids, strict=True):
        tid = index.thread_of_id(found.related[0]) if found.related else None
        out[m.key] = m.key if tid is None else tid
    return out


def build_threads(messages: Iterable[ThreadInput]) -> ThreadForest:
    """Group and tree `messages` (keys must be unique), taking them in key order."""
    ordered = sorted(messages, key=lambda m: m.key)
    if len({m.key for m in ordered}) != len(ordered):
        raise ValueError("build_threads: message keys must be unique")
    norm = _memo_normalizer()
    ids = [_ids_of(m.message_id, m.in_reply_to, m.references, norm) for m in ordered]
    boxes = _Containers()
    for message, found in zip(ordered, ids, strict=True):
        boxes.add(message.key, found)
    shown = _prune(boxes)
    _sort(boxes, shown, _dates(boxes, ordered))
    parent_of: dict[int, int | None] = {}
    for container, above in shown.parent.items():
        key = boxes.key[container]
        if key is not None:  # always: only real messages are in `shown.parent`
            parent_of[key] = None if above == -1 else boxes.key[above]
    return ThreadForest(_thread_ids(ordered, ids), parent_of, tuple(_trees(boxes, shown)))


def format_imap(trees: Iterable[Tree]) -> str:
    """The trees as an IMAP THREAD response body, keys as numbers: `(3 2)(1 (4)(5))`."""
    out: list[str] = []
    stack: list[Tree | str] = list(reversed(list(trees)))
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, numbers = item, []
        while node.key is not None and len(node.children) == 1:
            numbers.append(str(node.key))
            node = node.children[0]
        if node.key is not None:
            numbers.append(str(node.key))
        out.append("(" + " ".join(numbers))
        if node.children:
            out.append(" " if numbers else "")
            stack.append(")")
            stack.extend(reversed(node.children))
        else:
            out.append(")")
    return "".join(out)
