"""The lifecycle of one purchase as a state machine: states, actions, who may act, diagrams.

A purchase runs ``draft → needs_assessed → budgeted → tendering → awarded → contracted →
in_service → midterm_evaluated → final_evaluated → accepted → closed``. Besides that main line:

* **流标 (failed tender)**: ``tendering → tender_failed``; a failed tender is *not* an end: it is
  re-tendered (``tender_failed → tendering``) or cancelled. An award that falls through before
  signing (the winning bidder declines) also goes ``awarded → tender_failed``.
* **cancel**: from every state before a contract is signed (draft … awarded, and tender_failed).
* **terminate** (breach, 违约解除): from contracted, in_service, midterm_evaluated and
  final_evaluated (a failed final evaluation may end in termination rather than acceptance).
* **the evaluation schedule is the region's**: ``in_service → final_evaluated`` is allowed by
  the machine; the guard refuses it while a rule in force in the case's region requires a
  mid-term evaluation (:attr:`~socialwork_procurement.Rule.evaluation_stages`: Xiamen's
  「中期和末期」), so there the final evaluation follows a mid-term one.
* More than one party may evaluate at one stage (purchaser, service recipients, third party:
  the tripartite review), so a further mid-term evaluation keeps ``midterm_evaluated`` and a
  further final evaluation keeps ``final_evaluated``.
* ``record_disclosure`` (信息公开) is allowed in every state that is not final and leaves the
  state as it is.

**Final states** are ``closed``, ``cancelled`` and ``terminated``: nothing follows them, not even
a disclosure. ``tender_failed`` is deliberately not final.

:data:`MACHINE` is validated when it is built (:class:`Machine`): every state is reachable from
the initial one, every state that is not final has a way out to another state and can still
reach a final state, final states have no way out, and no state has two transitions for one
action. :meth:`Machine.to_mermaid` and :meth:`Machine.to_dot` draw it; ``docs/lifecycle.md``
embeds the Mermaid diagram and a test keeps the two equal.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import Final

import attrs

from .._errors import ProcurementError
from .._i18n import Joined, Message, Namer

__all__ = [
    "ACTION_ROLES",
    "MACHINE",
    "Action",
    "Machine",
    "MachineDefinitionError",
    "Role",
    "State",
    "Transition",
]


class State(enum.StrEnum):
    """Where a purchase stands."""

    DRAFT = "draft"
    """Opened: the purchaser is known and may purchase."""
    NEEDS_ASSESSED = "needs_assessed"
    """摸底调查与分析评估 done."""
    BUDGETED = "budgeted"
    """Costs accounted, targets set, budget drawn up (核算成本、提出目标、编制预算)."""
    TENDERING = "tendering"
    """The procurement is under way (组织购买), by the method stated."""
    TENDER_FAILED = "tender_failed"
    """流标 / the award fell through: re-tender or cancel. Not final."""
    AWARDED = "awarded"
    """A contractor was chosen (确定承接主体)."""
    CONTRACTED = "contracted"
    """The purchase contract is signed; evaluations are scheduled and the fee reserved."""
    IN_SERVICE = "in_service"
    """The service is being delivered."""
    MIDTERM_EVALUATED = "midterm_evaluated"
    """At least one mid-term evaluation is on record."""
    FINAL_EVALUATED = "final_evaluated"
    """At least one final evaluation is on record."""
    ACCEPTED = "accepted"
    """结项验收: accepted on a passed final evaluation."""
    CLOSED = "closed"
    """Final: the purchase is complete."""
    CANCELLED = "cancelled"
    """Final: abandoned before a contract was signed."""
    TERMINATED = "terminated"
    """Final: the contract was ended early (breach)."""


class Action(enum.StrEnum):
    """What a command does; the labels of the machine's transitions."""

    OPEN = "open"
    ASSESS_NEEDS = "assess_needs"
    APPROVE_BUDGET = "approve_budget"
    START_TENDER = "start_tender"
    FAIL_TENDER = "fail_tender"
    AWARD = "award"
    SIGN_CONTRACT = "sign_contract"
    START_SERVICE = "start_service"
    RECORD_MIDTERM_EVALUATION = "record_midterm_evaluation"
    RECORD_FINAL_EVALUATION = "record_final_evaluation"
    ACCEPT = "accept"
    CLOSE = "close"
    CANCEL = "cancel"
    TERMINATE = "terminate"
    RECORD_DISCLOSURE = "record_disclosure"


class Role(enum.StrEnum):
    """In which capacity an actor gives a command."""

    PURCHASER = "purchaser"
    """购买主体."""
    CONTRACTOR = "contractor"
    """承接主体."""
    THIRD_PARTY = "third_party"
    """第三方 (an independent evaluator)."""
    CIVIL_AFFAIRS = "civil_affairs"
    """民政部门 (plans, guides and evaluates)."""
    FINANCE = "finance"
    """财政部门 (budgets and funds)."""


class MachineDefinitionError(ProcurementError, ValueError):
    """A machine definition is inconsistent; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("invalid state machine: " + "; ".join(self.problems))


@attrs.frozen
class Transition:
    """``source --action--> target`` (``source == target`` for an in-state action)."""

    source: State
    action: Action
    target: State


def _mermaid_id(state: State) -> str:
    return state.value


@attrs.frozen
class Machine:
    """A validated lifecycle definition (raises :class:`MachineDefinitionError` when built).

    ``initial_action`` creates a case in ``initial``; ``anywhere`` actions are allowed in every
    state that is not final and leave the state unchanged.
    """

    states: tuple[State, ...]
    initial: State
    initial_action: Action
    finals: frozenset[State]
    transitions: tuple[Transition, ...]
    anywhere: tuple[Action, ...] = ()
    roles: Mapping[Action, frozenset[Role]] = attrs.field(factory=dict)
    _index: Mapping[tuple[State, Action], State] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise MachineDefinitionError(problems)
        index = {(t.source, t.action): t.target for t in self.transitions}
        for action in self.anywhere:
            for state in self.states:
                if state not in self.finals:
                    index[(state, action)] = state
        object.__setattr__(self, "_index", index)

    def _problems(self) -> list[str]:
        problems: list[str] = []
        declared = set(self.states)
        if len(declared) != len(self.states):
            problems.append("a state is declared twice")
        if self.initial not in declared:
            problems.append(f"initial state {self.initial} is not declared")
        problems += [f"final state {s} is not declared" for s in sorted(self.finals - declared)]
        seen: set[tuple[State, Action]] = set()
        for t in self.transitions:
            for end in (t.source, t.target):
                if end not in declared:
                    problems.append(f"{t.source} --{t.action}--> {t.target}: state {end} is not declared")
            if (t.source, t.action) in seen:
                problems.append(f"{t.source} has two transitions for {t.action}")
            seen.add((t.source, t.action))
            if t.source in self.finals:
                problems.append(f"final state {t.source} has a way out ({t.action})")
            if t.action in self.anywhere:
                problems.append(f"{t.action} is allowed anywhere and must not also be a transition")
            if t.action is self.initial_action:
                problems.append(f"{t.action} creates a case and cannot also be a transition")
        used = {t.action for t in self.transitions} | set(self.anywhere) | {self.initial_action}
        problems += [f"action {a} has no roles allowed to take it" for a in sorted(used) if not self.roles.get(a)]
        if problems:
            return problems
        reachable = _closure(
            {self.initial}, {s: {t.target for t in self.transitions if t.source is s} for s in declared}
        )
        problems += [f"state {s} is unreachable from {self.initial}" for s in self.states if s not in reachable]
        for s in self.states:
            if s in self.finals:
                continue
            if not any(t.source is s and t.target is not s for t in self.transitions):
                problems.append(f"state {s} is not final but has no way out")
        backwards = {s: {t.source for t in self.transitions if t.target is s} for s in declared}
        can_finish = _closure(set(self.finals), backwards)
        problems += [
            f"state {s} cannot reach a final state"
            for s in self.states
            if s not in can_finish and s in reachable and s not in self.finals
        ]
        return problems

    # -- questions ---------------------------------------------------------------------------

    def target(self, source: State, action: Action) -> State | None:
        """Where ``action`` leads from ``source``, or ``None`` if it is not allowed there."""
        return self._index.get((source, action))

    def actions(self, source: State) -> tuple[Action, ...]:
        """The actions allowed in ``source``, in declaration order."""
        return tuple(a for a in Action if (source, a) in self._index)

    def is_final(self, state: State) -> bool:
        """Whether nothing can follow ``state``."""
        return state in self.finals

    # -- diagrams ----------------------------------------------------------------------------
    #
    # Called without arguments, both diagrams show the identifiers (``needs_assessed``,
    # ``assess_needs``): that is the copy docs/lifecycle.md embeds, and it does not change. With
    # ``lang`` they show names in that language (``name`` gives them; the command line passes its
    # names table); ``highlight`` marks one state (a case's current one).

    def _edges(self) -> list[tuple[State, State, list[Action]]]:
        """Transitions grouped by (source, target), actions in declaration order."""
        grouped: dict[tuple[State, State], list[Action]] = {}
        for t in self.transitions:
            grouped.setdefault((t.source, t.target), []).append(t.action)
        return [(s, t, actions) for (s, t), actions in grouped.items()]

    def _anywhere_note(self) -> str:
        names = " and ".join(a.value for a in self.anywhere)
        return f"{names} is allowed in every state that is not final (the state does not change)"

    def _labels(self, lang: str | None, name: Namer | None) -> tuple[Callable[[State | Action], str], str]:
        """How a state or action is labelled, and the note on the ``anywhere`` actions, in ``lang``."""
        if lang is None:
            return (lambda member: member.value), self._anywhere_note()

        def label(member: State | Action) -> str:
            return name(member, lang) if name is not None else member.value

        note = Message(
            "{actions} is allowed in every state that is not final (the state does not change)",
            actions=Joined(self.anywhere),
        )
        return label, note.render(lang, name=name)

    def to_mermaid(self, lang: str | None = None, *, name: Namer | None = None, highlight: State | None = None) -> str:
        """The machine as a Mermaid ``stateDiagram-v2`` (no trailing newline).

        Without arguments the states and actions are shown by their identifiers. ``lang`` (``"zh"``
        or ``"en"``) labels them with ``name(member, lang)`` (their identifiers when no ``name`` is
        given) and words the note in that language; ``highlight`` marks that state (class ``current``).
        """
        label, note = self._labels(lang, name)
        lines = ["stateDiagram-v2"]
        if lang is not None:  # the identifiers stay the ids; the names are the labels people read
            lines += [f'    state "{_mermaid_text(label(s))}" as {_mermaid_id(s)}' for s in self.states]
        lines.append(f"    [*] --> {_mermaid_id(self.initial)}: {_mermaid_text(label(self.initial_action))}")
        for source, target, actions in self._edges():
            text = " / ".join(_mermaid_text(label(a)) for a in actions)
            lines.append(f"    {_mermaid_id(source)} --> {_mermaid_id(target)}: {text}")
        lines += [f"    {_mermaid_id(s)} --> [*]" for s in self.states if s in self.finals]
        if self.anywhere:
            lines.append(f"    note right of {_mermaid_id(self.initial)}: {_mermaid_text(note)}")
        if highlight is not None:
            lines.append(f"    classDef current {_MERMAID_CURRENT}")
            lines.append(f"    class {_mermaid_id(highlight)} current")
        return "\n".join(lines)

    def to_dot(self, lang: str | None = None, *, name: Namer | None = None, highlight: State | None = None) -> str:
        """The machine as a Graphviz DOT digraph (no trailing newline).

        Arguments as for :meth:`to_mermaid`; ``highlight`` fills that state's box. With ``lang`` the
        font is a list of families that have Chinese glyphs, so that a picture drawn from it shows them.
        """
        label, note = self._labels(lang, name)
        font = "Helvetica" if lang is None else _DOT_FONTS
        lines = [
            "digraph procurement {",
            "    rankdir=TB;",
            f'    node [shape=box, style=rounded, fontname="{font}"];',
            f'    edge [fontname="{font}", fontsize=10];',
            '    __start [shape=point, label=""];',
        ]
        if lang is not None:
            lines.insert(2, f'    fontname="{font}";')  # the graph's own label (the note)
        for s in self.states:
            shape = ", peripheries=2" if s in self.finals else ""
            current = f", {_DOT_CURRENT}" if s is highlight else ""
            lines.append(f'    {s.value} [label="{_dot_text(label(s))}"{shape}{current}];')
        lines.append(f'    __start -> {self.initial.value} [label="{_dot_text(label(self.initial_action))}"];')
        for source, target, actions in self._edges():
            text = " / ".join(label(a) for a in actions)
            lines.append(f'    {source.value} -> {target.value} [label="{_dot_text(text)}"];')
        if self.anywhere:
            lines.append(f'    label="{_dot_text(note)}";')
            lines.append("    labelloc=b;")
        lines.append("}")
        return "\n".join(lines)


_MERMAID_CURRENT: Final = "fill:#fde68a,stroke:#b45309,stroke-width:3px"
_DOT_CURRENT: Final = 'style="rounded,filled,bold", fillcolor="#fde68a", color="#b45309", penwidth=2'
_DOT_FONTS: Final = "Noto Sans CJK SC,Source Han Sans SC,PingFang SC,Microsoft YaHei,sans-serif"
"""Font families with Chinese glyphs, the first one installed wins (Graphviz hands the list to Pango;
an SVG keeps it as its ``font-family``)."""


_MERMAID_ESCAPES: Final = str.maketrans({"\n": " ", "#": "#35;", ";": "#59;", '"': "#quot;"})
"""A label ends at the line; «#», «;» and «"» would start an entity, a new statement or end a name in Mermaid."""


def _mermaid_text(text: str) -> str:
    return text.translate(_MERMAID_ESCAPES)


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _closure(start: set[State], edges: Mapping[State, set[State]]) -> set[State]:
    seen = set(start)
    queue = deque(start)
    while queue:
        for nxt in edges.get(queue.popleft(), set()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


_S = State
_A = Action
_R = Role

_PRE_CONTRACT: Final = (_S.DRAFT, _S.NEEDS_ASSESSED, _S.BUDGETED, _S.TENDERING, _S.TENDER_FAILED, _S.AWARDED)
_UNDER_CONTRACT: Final = (_S.CONTRACTED, _S.IN_SERVICE, _S.MIDTERM_EVALUATED, _S.FINAL_EVALUATED)

ACTION_ROLES: Final[Mapping[Action, frozenset[Role]]] = {
    _A.OPEN: frozenset({_R.PURCHASER}),
    _A.ASSESS_NEEDS: frozenset({_R.PURCHASER, _R.CIVIL_AFFAIRS}),
    _A.APPROVE_BUDGET: frozenset({_R.PURCHASER, _R.FINANCE}),
    _A.START_TENDER: frozenset({_R.PURCHASER}),
    _A.FAIL_TENDER: frozenset({_R.PURCHASER}),
    _A.AWARD: frozenset({_R.PURCHASER}),
    _A.SIGN_CONTRACT: frozenset({_R.PURCHASER}),
    _A.START_SERVICE: frozenset({_R.PURCHASER, _R.CONTRACTOR}),
    _A.RECORD_MIDTERM_EVALUATION: frozenset({_R.PURCHASER, _R.THIRD_PARTY, _R.CIVIL_AFFAIRS}),
    _A.RECORD_FINAL_EVALUATION: frozenset({_R.PURCHASER, _R.THIRD_PARTY, _R.CIVIL_AFFAIRS}),
    _A.ACCEPT: frozenset({_R.PURCHASER, _R.CIVIL_AFFAIRS}),
    _A.CLOSE: frozenset({_R.PURCHASER, _R.CIVIL_AFFAIRS, _R.FINANCE}),
    _A.CANCEL: frozenset({_R.PURCHASER, _R.CIVIL_AFFAIRS, _R.FINANCE}),
    _A.TERMINATE: frozenset({_R.PURCHASER}),
    _A.RECORD_DISCLOSURE: frozenset({_R.PURCHASER, _R.CIVIL_AFFAIRS, _R.FINANCE}),
}
"""Who may take each action. A third party records evaluations; only the purchaser contracts."""

MACHINE: Final = Machine(
    states=tuple(State),
    initial=_S.DRAFT,
    initial_action=_A.OPEN,
    finals=frozenset({_S.CLOSED, _S.CANCELLED, _S.TERMINATED}),
    transitions=(
        Transition(_S.DRAFT, _A.ASSESS_NEEDS, _S.NEEDS_ASSESSED),
        Transition(_S.NEEDS_ASSESSED, _A.APPROVE_BUDGET, _S.BUDGETED),
        Transition(_S.BUDGETED, _A.START_TENDER, _S.TENDERING),
        Transition(_S.TENDERING, _A.FAIL_TENDER, _S.TENDER_FAILED),
        Transition(_S.TENDER_FAILED, _A.START_TENDER, _S.TENDERING),
        Transition(_S.TENDERING, _A.AWARD, _S.AWARDED),
        Transition(_S.AWARDED, _A.FAIL_TENDER, _S.TENDER_FAILED),
        Transition(_S.AWARDED, _A.SIGN_CONTRACT, _S.CONTRACTED),
        Transition(_S.CONTRACTED, _A.START_SERVICE, _S.IN_SERVICE),
        Transition(_S.IN_SERVICE, _A.RECORD_MIDTERM_EVALUATION, _S.MIDTERM_EVALUATED),
        # The schedule is the region's: the guard refuses this where a rule in force requires a
        # mid-term evaluation (Xiamen's 「中期和末期」); Henan's 结项验收 and Ningxia set none.
        Transition(_S.IN_SERVICE, _A.RECORD_FINAL_EVALUATION, _S.FINAL_EVALUATED),
        Transition(_S.MIDTERM_EVALUATED, _A.RECORD_MIDTERM_EVALUATION, _S.MIDTERM_EVALUATED),
        Transition(_S.MIDTERM_EVALUATED, _A.RECORD_FINAL_EVALUATION, _S.FINAL_EVALUATED),
        Transition(_S.FINAL_EVALUATED, _A.RECORD_FINAL_EVALUATION, _S.FINAL_EVALUATED),
        Transition(_S.FINAL_EVALUATED, _A.ACCEPT, _S.ACCEPTED),
        Transition(_S.ACCEPTED, _A.CLOSE, _S.CLOSED),
        *(Transition(s, _A.CANCEL, _S.CANCELLED) for s in _PRE_CONTRACT),
        *(Transition(s, _A.TERMINATE, _S.TERMINATED) for s in _UNDER_CONTRACT),
    ),
    anywhere=(_A.RECORD_DISCLOSURE,),
    roles=ACTION_ROLES,
)
"""The lifecycle every :class:`~socialwork_procurement.Procurement` follows."""
