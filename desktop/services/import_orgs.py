"""The organisations a roster import places its rows in: the branch a row, sheet or the
chosen target names, matched by name within the chosen community (ignoring spaces),
and the branches the file names that do not exist yet (created on request)."""
from __future__ import annotations

from ..domain.errors import FieldError, NotFound
from ..domain.organization import MEMBER_HOLDING_KINDS, OrgKind, Organization
from ..domain.text import strip_all_spaces


class ImportOrgs:
    """The organisation tree as the import sees it: names resolved within the chosen community."""

    def __init__(self, orgs: list[Organization], org_id: int | None):
        self.by_id = {o.id: o for o in orgs}
        live = [o for o in orgs if not o.dissolved]
        self.target = self.by_id.get(org_id) if org_id is not None else None
        if org_id is not None and self.target is None:
            raise NotFound(f"组织（编号{org_id}）不存在")
        root = self.target
        while root is not None and root.kind in (OrgKind.BRANCH, OrgKind.GROUP):
            root = self.by_id.get(root.parent_id)
        self.new_parent = root
        scope = live if root is None else self._subtree(live, root.id)
        self.by_name: dict[str, list[Organization]] = {}
        for o in scope:
            self.by_name.setdefault(name_key(o.name), []).append(o)
        self.everywhere: dict[str, list[Organization]] = {}
        for o in live:
            self.everywhere.setdefault(name_key(o.name), []).append(o)
        self.groups: dict[tuple[int, str], int] = {
            (o.parent_id, name_key(o.name)): o.id for o in live if o.kind is OrgKind.GROUP}
        t = self.target
        self.default_org_id = t.id if t is not None and t.kind in (OrgKind.BRANCH, OrgKind.GROUP) else None
        self.pending: dict[str, Organization] = {}
        self._resolved: dict[str, tuple] = {}

    @staticmethod
    def _subtree(orgs: list[Organization], root_id: int) -> list[Organization]:
        children: dict[int | None, list[Organization]] = {}
        for o in orgs:
            children.setdefault(o.parent_id, []).append(o)
        out = [o for o in orgs if o.id == root_id]
        stack = [root_id]
        while stack:
            for c in children.get(stack.pop(), []):
                out.append(c)
                stack.append(c.id)
        return out

    def resolve(self, name: str) -> tuple[int | None, str | None, str | None]:
        """(existing org id, or the name of a branch still to create, or a reason it cannot be)."""
        found = self._resolved.get(name)
        if found is None:
            found = self._resolved[name] = self._resolve(name)
        return found

    def _resolve(self, name: str) -> tuple[int | None, str | None, str | None]:
        hits = self.by_name.get(name_key(name), [])
        if len(hits) == 1:
            return hits[0].id, None, None
        if hits:
            return None, None, f"有{len(hits)}个组织都叫“{name}”，请先在组织树中改名以便区分"
        elsewhere = self.everywhere.get(name_key(name), [])
        if elsewhere:
            o = elsewhere[0]
            if o.kind not in MEMBER_HOLDING_KINDS and o.kind is not OrgKind.GROUP:
                return None, None, f"党员不能直接隶属于{o.kind.value}"
            return None, None, (f"“{name}”不在“{self.new_parent.name}”之下，"
                                "请选择包含它的组织作为导入目标")
        if self.new_parent is None:
            return None, None, f"找不到党支部“{name}”；如需新建，请选择其上级社区党组织作为导入目标"
        try:
            Organization(name, OrgKind.BRANCH).validate()
        except FieldError as e:
            return None, None, f"“{name}”不能作为党支部名称：{e.message}"
        return None, name, None

    def sheet_branch(self, sheet_name: str) -> tuple[int | None, str | None]:
        """The branch a sheet's name names, existing or new; (None, None) for "Sheet1", "花名册"…

        A name like "XX支部" that matches no branch is a branch to create only when the
        clerk imports into a community; into a chosen branch, it is just the sheet's title.
        """
        hits = [o for o in self.by_name.get(name_key(sheet_name), [])
                if o.kind in MEMBER_HOLDING_KINDS or o.kind is OrgKind.GROUP]
        if len(hits) == 1:
            return hits[0].id, None
        if (not hits and name_key(sheet_name).endswith("支部") and self.new_parent is not None
                and self.default_org_id is None):
            return None, sheet_name.strip()
        return None, None

    def placeholder(self, name: str) -> int:
        """A negative id standing for a branch still to create, so the rules can run on it."""
        key = name_key(name)
        if key not in self.pending:
            self.pending[key] = Organization(name, OrgKind.BRANCH, parent_id=self.new_parent.id,
                                             id=-1 - len(self.pending))
        return self.pending[key].id

    def org_of(self, org_id: int) -> Organization:
        if org_id is not None and org_id < 0:
            return next(o for o in self.pending.values() if o.id == org_id)
        try:
            return self.by_id[org_id]
        except KeyError:
            raise NotFound(f"组织（编号{org_id}）不存在") from None


def name_key(name: str) -> str:
    return strip_all_spaces(name or "")
