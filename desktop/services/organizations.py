"""Use cases on the organisation tree: create, rename, move, dissolve, committees."""
from __future__ import annotations

from datetime import date

from ..domain.dates import add_years
from ..domain.errors import Conflict, FieldError, NotFound
from ..domain.organization import (DEFAULT_TERM_YEARS, CommitteeSeat, OrgKind, Organization,
                                   OrgNode, check_kind_change, check_parent, committee_change_date)
from ..storage import organizations as repo
from ..storage.database import Database


def build_tree(nodes: list[OrgNode]) -> list[OrgNode]:
    """Link flat nodes into trees and sum member counts upward; returns the roots."""
    by_id = {n.id: n for n in nodes}
    roots = []
    for n in nodes:
        n.children = []
    for n in nodes:
        parent = by_id.get(n.parent_id) if n.parent_id is not None else None
        (parent.children if parent else roots).append(n)

    def total(n: OrgNode) -> int:
        # A group's members are already counted in its branch.
        below = sum(total(c) for c in n.children if c.kind is not OrgKind.GROUP)
        for c in n.children:
            if c.kind is OrgKind.GROUP:
                c.total_members = c.own_members
        n.total_members = n.own_members + below
        return n.total_members

    for r in roots:
        total(r)
    return roots


def descendant_ids(nodes: list[OrgNode], org_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n.id)
    out, stack = [], [org_id]
    while stack:
        i = stack.pop()
        out.append(i)
        stack.extend(children.get(i, []))
    return out


def subtree_of(nodes: list, org_id: int | None) -> list[int] | None:
    """subtree_ids over nodes the caller already holds (the GUI's tree), without a query."""
    if org_id is None:
        return None
    if any(n.id == org_id and n.parent_id is None for n in nodes) and \
            sum(1 for n in nodes if n.parent_id is None) == 1:
        return None
    return descendant_ids(nodes, org_id)


class OrganizationService:
    def __init__(self, db: Database):
        self.db = db

    def tree(self, include_dissolved: bool = False) -> list[OrgNode]:
        with self.db.reading() as conn:
            return build_tree(repo.tree_nodes(conn, include_dissolved))

    def nodes(self) -> list[OrgNode]:
        with self.db.reading() as conn:
            return repo.tree_nodes(conn)

    def get(self, org_id: int) -> Organization:
        with self.db.reading() as conn:
            return repo.get(conn, org_id)

    def all(self) -> list[Organization]:
        with self.db.reading() as conn:
            return repo.all_organizations(conn)

    def find(self, name: str) -> Organization:
        """The one organisation with this name; a clear message if none or several."""
        with self.db.reading() as conn:
            found = repo.find_by_name(conn, name)
        if not found:
            raise NotFound(f"找不到名为“{name}”的组织")
        if len(found) > 1:
            raise Conflict(f"有{len(found)}个组织都叫“{name}”，请先改名以便区分")
        return found[0]

    def subtree_ids(self, org_id: int | None) -> list[int] | None:
        """The organisation and all below it; None when it is the whole street (no filter)."""
        if org_id is None:
            return None
        return subtree_of(self.nodes(), org_id)

    def create(self, org: Organization, seats: list[CommitteeSeat] | None = None,
               when: date | None = None) -> Organization:
        """A new organisation (and its committee from `when`, default today), in one transaction."""
        org.validate()
        when = committee_change_date(when, date.today())
        with self.db.transaction() as conn:
            parent_kind = repo.get(conn, org.parent_id).kind if org.parent_id else None
            check_parent(org.kind, parent_kind)
            if org.kind is OrgKind.STREET and repo.find_by_name(conn, org.name):
                raise Conflict(f"已有名为“{org.name}”的组织")
            self._check_unique_sibling(conn, org)
            if org.term_start and not org.term_end and org.kind is not OrgKind.GROUP:
                org.term_end = add_years(org.term_start, DEFAULT_TERM_YEARS)
            org.id = repo.insert(conn, org)
            if seats is not None:
                repo.set_committee(conn, org.id, seats, when)
            return repo.get(conn, org.id)

    def update(self, org: Organization, seats: list[CommitteeSeat] | None = None,
               when: date | None = None) -> Organization:
        """Save changes (and the committee, when given, as changed on `when`: the 换届 day,
        default today), in one transaction."""
        org.validate()
        when = committee_change_date(when, date.today())
        with self.db.transaction() as conn:
            old = repo.get(conn, org.id)
            if org.parent_id != old.parent_id:
                self._check_move(conn, org.id, org.parent_id, org.kind)
            if org.kind is not old.kind:
                nodes = repo.tree_nodes(conn)
                parent = next((n for n in nodes if n.id == org.parent_id), None)
                check_kind_change(org.kind, parent.kind if parent else None,
                                  [n.kind for n in nodes if n.parent_id == org.id],
                                  repo.held_member_count(conn, org.id, old.kind))
            self._check_unique_sibling(conn, org)
            repo.update(conn, org)
            if seats is not None:
                repo.set_committee(conn, org.id, seats, when)
            return repo.get(conn, org.id)

    def rename(self, org_id: int, name: str) -> Organization:
        org = self.get(org_id)
        org.name = name.strip()
        return self.update(org)

    def move(self, org_id: int, new_parent_id: int) -> Organization:
        org = self.get(org_id)
        org.parent_id = new_parent_id
        return self.update(org)

    def dissolve(self, org_id: int, when: date | None = None) -> None:
        """Only an empty organisation may be dissolved; the record stays for history."""
        with self.db.transaction() as conn:
            org = repo.get(conn, org_id)
            if org.parent_id is None:
                raise Conflict("不能撤销街道党工委")
            n = repo.active_member_count(conn, org_id)
            if n:
                raise Conflict(f"“{org.name}”还有{n}名在册党员，请先转移后再撤销")
            c = repo.child_count(conn, org_id)
            if c:
                raise Conflict(f"“{org.name}”下还有{c}个组织，请先撤销或移走")
            repo.set_dissolved(conn, org_id, when or date.today())

    def committee(self, org_id: int, on: date | None = None) -> list[CommitteeSeat]:
        """The committee now, or as it stood on the day `on`."""
        with self.db.reading() as conn:
            return repo.committee(conn, org_id, on)

    def set_committee(self, org_id: int, seats: list[CommitteeSeat],
                      when: date | None = None) -> None:
        """The committee from `when` (default today) on; who leaves it stays in history."""
        when = committee_change_date(when, date.today())
        with self.db.transaction() as conn:
            repo.get(conn, org_id)
            repo.set_committee(conn, org_id, seats, when)

    def secretaries(self) -> dict[int, str]:
        with self.db.reading() as conn:
            return repo.secretaries(conn)

    def _check_unique_sibling(self, conn, org: Organization) -> None:
        for other in repo.find_by_name(conn, org.name):
            if other.id != org.id and other.parent_id == org.parent_id:
                raise FieldError("组织名称", f"同一上级下已有“{org.name}”")

    def _check_move(self, conn, org_id: int, new_parent_id: int | None, kind: OrgKind) -> None:
        if new_parent_id is None:
            raise FieldError("上级组织", "请选择新的上级组织")
        nodes = repo.tree_nodes(conn)
        if new_parent_id in descendant_ids(nodes, org_id):
            raise FieldError("上级组织", "不能移到自己或自己的下级组织之下")
        check_parent(kind, repo.get(conn, new_parent_id).kind)
