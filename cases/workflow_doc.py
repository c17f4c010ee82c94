"""docs/workflow.md, written from the workflow table (cases.workflow) and the unit's defaults.

`manage.py workflow_doc` rewrites the file; cases/tests/test_table.py fails when it drifts.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from units.models import Role, Severity, Unit
from units.standard import SANCTIONS, VIOLATIONS

from . import workflow
from .models import CaseAction, CaseState
from .rules import SEGREGATION

DOC = Path(settings.BASE_DIR) / "docs" / "workflow.md"

HEADER = """# The case workflow

Generated from `cases/workflow.py` by `manage.py workflow_doc`; do not edit by hand
(`cases/tests/test_table.py` fails when this file and the code disagree).
"""


def _roles(roles) -> str:
    order = list(Role.values)
    return ", ".join(str(Role(r).label) for r in sorted(roles, key=order.index))


def _default(field: str):
    return Unit._meta.get_field(field).default


def render() -> str:
    with translation.override("en"):
        lines = [
            HEADER,
            "## States",
            "",
            "| state | what happens | next step by |",
            "|---|---|---|",
        ]
        for state in CaseState:
            owners = _roles(workflow.owner_roles(state)) or "—"
            text = str(workflow.STATE_DESCRIPTIONS[state])
            lines.append(f"| `{state.value}` {state.label} | {text} | {owners} |")
        lines += [
            "",
            "## Actions",
            "",
            "Side actions add to the record of the state and leave it where it is; they owe "
            "nothing to anybody (no deadline, no reminder).",
            "",
            "| from | action | by | to | officer sees its event | event fields |",
            "|---|---|---|---|---|---|",
        ]
        opening = workflow.ACTIONS[CaseAction.OPEN]
        fields = ", ".join(f"`{k}`" for k in opening.fields)
        lines.append(
            f"| — | `open` {CaseAction.OPEN.label} | {_roles(workflow.OPENING.roles)} | "
            f"`review` | no | {fields} |"
        )
        for state, moves in workflow.WORKFLOW.items():
            for action, move in moves.items():
                spec = workflow.ACTIONS[action]
                to = move.to if isinstance(move.to, str) else None
                target = (
                    f"`{to}`" + (" (side)" if action in workflow.SIDE_ACTIONS else "")
                    if to
                    else ", ".join(f"{o}: `{s}`" for o, s in move.to.items())
                )
                fields = ", ".join(f"`{k}`" for k in spec.fields)
                sees = "yes" if spec.officer_sees else "no"
                lines.append(
                    f"| `{state}` | `{action}` {CaseAction(action).label} | {_roles(move.roles)} "
                    f"| {target} | {sees} | {fields} |"
                )
        lines += [
            "",
            "## Segregation of duties",
            "",
            "On top of the roles above (`cases/rules.py`), whatever roles one person holds:",
            "",
        ]
        for action, predicate in SEGREGATION.items():
            lines.append(f"- `{action}`: `{predicate.name}`")
        lines.append(
            "- every other action: `~is_case_officer` (nobody acts on a case about themselves)"
        )
        levels = ", ".join(
            f"{Severity(s).label} (`{s}`)"
            for s in [Severity.LIGHT, Severity.MODERATE, Severity.HEAVY]
        )
        lines += [
            "",
            "## Due process (defaults after PP 94/2021; unit settings)",
            "",
            "- A summons is for a date and time in the future, at a place.",
            "- A hearing is recorded against the pending summons, dated no earlier than it and not "
            "in the future; either the officer attended (explanation required, defence) or the "
            "absence is recorded and the coordinator summons again.",
            "- A proposal needs a recorded hearing the officer attended, or "
            f"`summonses_before_evidence` = {_default('summonses_before_evidence')} recorded "
            "absences; then it is proposed on the evidence and the proposal and its event say so. "
            "Proposing earlier answers 409 (API) and a message on screen.",
            f"- Severity and level, in order: {levels}. The proposed sanction's level matches the "
            "most severe violation found, or the proposal carries a written `justification` "
            "(shown highlighted to the verifier and the head).",
            "- The proposer, the verifier and the decider of a proposal are three different "
            "people.",
            f"- After a decree the officer may object within `objection_days` = "
            f"{_default('objection_days')} days; `objection_decider` (default "
            f"{Role(_default('objection_decider')).label}) decides with a reason. The objection "
            "is a side track: the compensation goes on.",
            "- A delivery is dated after the compensation decision and not in the future, with "
            "the customer's acknowledgement or the recorded reason there is none.",
            '- A "no decree" decision ends the decree deadline as *not issued*, never as met.',
            "",
            "## Default sanctions (PP 94/2021 Pasal 8)",
            "",
            "| code | level | sanction |",
            "|---|---|---|",
        ]
        for code, level, name, _ref in SANCTIONS:
            lines.append(f"| `{code}` | {Severity(level).label} | {name} |")
        lines += [
            "",
            "## Default violations and their severity",
            "",
            "| code | severity |",
            "|---|---|",
        ]
        for i, (severity, _text) in enumerate(VIOLATIONS, start=1):
            lines.append(f"| `v{i:02d}` | {Severity(severity).label} |")
    return "\n".join(lines) + "\n"
