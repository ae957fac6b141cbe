"""Word-level differences between two texts, as HTML with <ins>/<del> that do not rely on colour.

Any signed-in person can ask for a comparison, so no text may make it slow: two versions of a
long agreement, a paragraph pasted a thousand times, a text swapped for an unrelated one. The
pieces are found in three steps, each bounded:

1. Common beginnings and endings are taken off (compared in slices, at C speed).
2. Tokens that occur exactly once in both versions anchor the texts to each other ("patience
   diff"): the longest run of such anchors in the same order splits the work into small gaps,
   which are handled the same way again. Realistic edits end here in small gaps.
3. A small gap is compared exactly with difflib (the matcher this module always used, so short
   texts come out as they always did); a larger gap without anchors gets Myers' shortest edit
   script while it stays cheap.

All steps draw from one work budget proportional to the length of both texts; a part that would
exceed it is shown as replaced as a whole. So no input costs more than about linear time in the
length of both texts (two 3,000-word versions: under 10 ms; 50,000 words made to be hard: about
half a second), and the result stays exact: the pieces always rebuild both texts.
"""
import re
from bisect import bisect_left
from collections import Counter, deque
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

# Words (letters incl. umlauts, digits), runs of white space, or single other characters.
TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)

INSERTED = _l("eingefügt:")
DELETED = _l("gelöscht:")
INSERT_END = _l("Ende der Einfügung")
DELETE_END = _l("Ende der Löschung")

# difflib's matcher costs up to about len(a) * len(b) steps when tokens repeat (white space does),
# so it only sees pairs up to this size (about 100 × 100 tokens, ~50 words a side).
EXACT_PAIRS = 10_000
# Work units per token of both texts, plus a floor for short texts. A unit (roughly 0.1 µs) is
# one token counted, one step of Myers' algorithm, or one pair difflib may look at. Realistic
# edits of long texts use a fifth of it; bench/textdiff_bench.py shows the cases.
WORK_PER_TOKEN = 10
WORK_FLOOR = 200_000
# Looking at a gap costs some work of its own (a few Python calls), whatever its size; setting
# up difflib's matcher costs more.
GAP_COST = 200
MATCHER_COST = 400
# Myers' algorithm costs about (edits² + the equal runs it re-reads) steps and keeps one row per
# edit: it is tried on a gap without anchors only this far, else the gap shows as replaced.
MYERS_MAX_EDITS = 400
MYERS_WORK_PER_TOKEN = 2
MYERS_WORK_FLOOR = 40_000


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "insert" or "delete"
    text: str


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def compare(old: str, new: str) -> list[Piece]:
    """The pieces that turn `old` into `new`, word by word."""
    a, b = tokens(old), tokens(new)
    if len(a) * len(b) <= EXACT_PAIRS:
        opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    else:
        opcodes = _Differ(a, b).opcodes()
    pieces = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return pieces


class _Differ:
    """Opcodes like difflib's for two token lists of any length, within a linear work budget."""

    def __init__(self, a: list[str], b: list[str]):
        self.a, self.b = a, b
        self.budget = WORK_PER_TOKEN * (len(a) + len(b)) + WORK_FLOOR
        self.steps: list[tuple[int, int, int, int, bool]] = []  # (i1, i2, j1, j2, equal)

    def opcodes(self) -> list[tuple[str, int, int, int, int]]:
        # Breadth first: should the budget run out, every part of the text is compared equally
        # coarsely, not the beginning in detail and the end as one block.
        pending = deque([(0, len(self.a), 0, len(self.b))])
        while pending and self.budget > 0:
            pending.extend(self._split(*pending.popleft()))
        for gap in pending:  # the budget ran out: what is left shows as replaced
            self._changed(*gap)
        return _merge(sorted(self.steps))

    def _same(self, i1, i2, j1, j2):
        if i2 > i1:
            steps = self.steps
            if steps and steps[-1][1] == i1 and steps[-1][3] == j1 and steps[-1][4]:
                steps[-1] = (steps[-1][0], i2, steps[-1][2], j2, True)  # anchors next to each other
            else:
                steps.append((i1, i2, j1, j2, True))

    def _changed(self, i1, i2, j1, j2):
        if i2 > i1 or j2 > j1:
            self.steps.append((i1, i2, j1, j2, False))

    def _split(self, alo, ahi, blo, bhi):
        """Settle what is cheap in this gap; return the smaller gaps still to compare."""
        a, b = self.a, self.b
        self.budget -= GAP_COST
        head = _common_prefix(a, alo, ahi, b, blo, bhi)
        self._same(alo, alo + head, blo, blo + head)
        alo, blo = alo + head, blo + head
        tail = _common_suffix(a, alo, ahi, b, blo, bhi)
        self._same(ahi - tail, ahi, bhi - tail, bhi)
        ahi, bhi = ahi - tail, bhi - tail
        n, m = ahi - alo, bhi - blo
        if not n or not m:
            self._changed(alo, ahi, blo, bhi)
            return []
        if n == 1 or m == 1:  # one token against several: where it occurs first, as difflib has it
            one, others, olo, ohi = (a[alo], b, blo, bhi) if n == 1 else (b[blo], a, alo, ahi)
            try:
                at = others.index(one, olo, ohi)
            except ValueError:
                self._changed(alo, ahi, blo, bhi)
                return []
            i, j = (alo, at) if n == 1 else (at, blo)
            self._changed(alo, i, blo, j)
            self._same(i, i + 1, j, j + 1)
            self._changed(i + 1, ahi, j + 1, bhi)
            return []
        if n * m <= EXACT_PAIRS and self._spend(MATCHER_COST + n * m):
            for op, i1, i2, j1, j2 in SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False).get_opcodes():
                (self._same if op == "equal" else self._changed)(alo + i1, alo + i2, blo + j1, blo + j2)
            return []
        if not self._spend(n + m):
            self._changed(alo, ahi, blo, bhi)
            return []
        anchors = _unique_anchors(a, alo, ahi, b, blo, bhi)
        if not anchors:
            limit = min(self.budget, MYERS_WORK_PER_TOKEN * (n + m) + MYERS_WORK_FLOOR)
            steps, work = _myers(a, alo, ahi, b, blo, bhi, limit)
            self.budget -= work
            if steps is None:
                self._changed(alo, ahi, blo, bhi)
                return []
            for equal, i1, i2, j1, j2 in steps:
                (self._same if equal else self._changed)(i1, i2, j1, j2)
            return []
        gaps = []
        i0, j0 = alo, blo
        for i, j in anchors + [(ahi, bhi)]:
            if i > i0 and j > j0:
                gaps.append((i0, i, j0, j))
            else:  # nothing, or only one side, between two anchors
                self._changed(i0, i, j0, j)
            if i < ahi:
                self._same(i, i + 1, j, j + 1)
            i0, j0 = i + 1, j + 1
        return gaps

    def _spend(self, work: int) -> bool:
        if work > self.budget:
            return False
        self.budget -= work
        return True


def _merge(steps) -> list[tuple[str, int, int, int, int]]:
    """Sorted steps as difflib-style opcodes: neighbouring changes joined into one."""
    opcodes = []
    for i1, i2, j1, j2, equal in steps:
        tag = "equal" if equal else "replace"
        if opcodes and (opcodes[-1][0] == "equal") == equal:
            opcodes[-1][2], opcodes[-1][4] = i2, j2
        else:
            opcodes.append([tag, i1, i2, j1, j2])
    for opcode in opcodes:
        if opcode[0] == "replace" and opcode[1] == opcode[2]:
            opcode[0] = "insert"
        elif opcode[0] == "replace" and opcode[3] == opcode[4]:
            opcode[0] = "delete"
    return [tuple(opcode) for opcode in opcodes]


def _common_prefix(a, alo, ahi, b, blo, bhi) -> int:
    """Length of the common start, by galloping over slices instead of a token-by-token loop."""
    limit = min(ahi - alo, bhi - blo)
    if not limit or a[alo] != b[blo]:
        return 0
    found, step = 1, 2
    while step:
        size = min(step, limit - found)
        if size and a[alo + found:alo + found + size] == b[blo + found:blo + found + size]:
            found += size
            step *= 2
        else:
            step //= 2
    return found


def _common_suffix(a, alo, ahi, b, blo, bhi) -> int:
    limit = min(ahi - alo, bhi - blo)
    if not limit or a[ahi - 1] != b[bhi - 1]:
        return 0
    found, step = 1, 2
    while step:
        size = min(step, limit - found)
        if size and a[ahi - found - size:ahi - found] == b[bhi - found - size:bhi - found]:
            found += size
            step *= 2
        else:
            step //= 2
    return found


def _unique_anchors(a, alo, ahi, b, blo, bhi) -> list[tuple[int, int]]:
    """The longest run, in the same order on both sides, of tokens found once in each gap."""
    in_a, in_b = Counter(a[alo:ahi]), Counter(b[blo:bhi])
    once = {t for t, c in in_a.items() if c == 1}
    once.intersection_update(t for t, c in in_b.items() if c == 1)
    if not once:
        return []
    where_in_b = {b[j]: j for j in range(blo, bhi) if b[j] in once}
    pairs = [(i, where_in_b[a[i]]) for i in range(alo, ahi) if a[i] in once]
    # Longest increasing subsequence of the b positions (patience sorting).
    tails: list[int] = []  # b position ending the best run of each length
    tail_index: list[int] = []
    before = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        length = bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[length] = j
            tail_index[length] = index
        before[index] = tail_index[length - 1] if length else -1
    run, index = [], tail_index[-1]
    while index >= 0:
        run.append(pairs[index])
        index = before[index]
    run.reverse()
    return run


def _myers(a, alo, ahi, b, blo, bhi, limit) -> tuple[list | None, int]:
    """(Shortest edit script, work done) after E. Myers, "An O(ND) difference algorithm" (1986);
    the script is None when it needs more than MYERS_MAX_EDITS edits or `limit` work."""
    n, m = ahi - alo, bhi - blo
    max_d = min(n + m, MYERS_MAX_EDITS)
    offset = max_d + 1
    v = [0] * (2 * max_d + 3)
    trace = []
    work = 0
    for d in range(max_d + 1):
        trace.append(v[offset - d - 1:offset + d + 2])
        work += 2 * d + 3
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            start = x
            while x < n and y < m and a[alo + x] == b[blo + y]:
                x += 1
                y += 1
            work += 1 + x - start
            v[offset + k] = x
            if x >= n and y >= m:
                return _myers_path(trace, d, n, m, alo, blo), work
        if work > limit:
            return None, work
    return None, work


def _myers_path(trace, d_end, n, m, alo, blo) -> list:
    """Walk the stored rows back from (n, m) to (0, 0): steps in order, with absolute positions."""
    steps = []
    x, y = n, m
    for d in range(d_end, 0, -1):
        row = trace[d]  # furthest x per diagonal after d - 1 edits; diagonal k at row[k + d + 1]
        k = x - y
        if k == -d or (k != d and row[k - 1 + d + 1] < row[k + 1 + d + 1]):
            prev_k = k + 1
        else:
            prev_k = k - 1
        prev_x = row[prev_k + d + 1]
        prev_y = prev_x - prev_k
        # The snake (equal tokens) after the edit, then the edit itself.
        snake_x = prev_x + 1 if prev_k == k - 1 else prev_x
        snake_y = snake_x - k
        if x > snake_x:
            steps.append((True, alo + snake_x, alo + x, blo + snake_y, blo + y))
        if prev_k == k - 1:
            steps.append((False, alo + prev_x, alo + prev_x + 1, blo + prev_y, blo + prev_y))
        else:
            steps.append((False, alo + prev_x, alo + prev_x, blo + prev_y, blo + prev_y + 1))
        x, y = prev_x, prev_y
    if x > 0:
        steps.append((True, alo, alo + x, blo, blo + y))
    steps.reverse()
    return steps


def _mark(piece: Piece) -> str:
    if piece.kind == "same":
        return str(escape(piece.text))
    tag, start, end = ("ins", INSERTED, INSERT_END) if piece.kind == "insert" else ("del", DELETED, DELETE_END)
    return (f'<{tag}><span class="visually-hidden">[{escape(start)}] </span>{escape(piece.text)}'
            f'<span class="visually-hidden"> [{escape(end)}]</span></{tag}>')


def inline_html(pieces: list[Piece]) -> Markup:
    return Markup("".join(_mark(p) for p in pieces))


def side_by_side_html(pieces: list[Piece]) -> tuple[Markup, Markup]:
    """(old text with its deletions marked, new text with its insertions marked)."""
    old = "".join(_mark(p) for p in pieces if p.kind != "insert")
    new = "".join(_mark(p) for p in pieces if p.kind != "delete")
    return Markup(old), Markup(new)


def summary(pieces: list[Piece]) -> dict:
    words = lambda kind: sum(len(re.findall(r"\w+", p.text)) for p in pieces if p.kind == kind)  # noqa: E731
    return {"inserted": words("insert"), "deleted": words("delete")}
