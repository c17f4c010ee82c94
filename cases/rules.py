"""The segregation of duties (DESIGN §4), as `rules` predicates; who reads a case is in
cases.access.

The workflow table (cases.workflow) says which roles may take an action; these predicates add
what depends on the particular case and person: nobody acts on a case about themselves except
through their own defence, the proposer does not verify, the verifier does not decide.
Every predicate takes (user, case).
"""

from __future__ import annotations

import rules

from .access import can_view_case, can_view_own_case, is_case_officer
from .models import CaseAction

__all__ = ["can_view_case", "can_view_own_case", "is_case_officer", "segregation_for"]


@rules.predicate
def proposed_current(user, case) -> bool:
    """The user wrote the proposal now awaiting verification."""
    proposal = case.latest("proposals")
    return proposal is not None and proposal.proposed_by_id == user.pk


@rules.predicate
def verified_current(user, case) -> bool:
    """The user approved the proposal now awaiting the head's decision."""
    verification = case.latest("verifications")
    return verification is not None and verification.verified_by_id == user.pk


# Segregation of duties per action, on top of the roles of the workflow table.
SEGREGATION = {
    CaseAction.DEFENCE: is_case_officer,
    CaseAction.VERIFY: ~is_case_officer & ~proposed_current,
    CaseAction.DECIDE: ~is_case_officer & ~verified_current,
}
NOT_ABOUT_SELF = ~is_case_officer


def segregation_for(action: str):
    return SEGREGATION.get(action, NOT_ABOUT_SELF)
