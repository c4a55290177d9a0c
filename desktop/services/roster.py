"""Use cases on the member roster: add, edit, find, and the events of a member's life."""
from __future__ import annotations

from datetime import date
from typing import Callable

from ..domain.errors import Conflict, FieldError, ValidationErrors
from ..domain.group_change import GroupChange, group_changes
from ..domain.member import Category, Member, Status, validate_member
from ..domain.member_event import LEAVING_EVENTS, EventKind, MemberEvent, move_date
from ..domain.names import normalize_name
from ..domain.idcard import normalize_id_number
from ..domain.organization import MEMBER_HOLDING_KINDS, OrgKind, Organization
from ..domain.roster_view import RosterFilter
from ..storage import group_history
from ..storage import members as repo
from ..storage import organizations as org_repo
from ..storage import roster_query
from ..storage.database import Database


class RosterService:
    def __init__(self, db: Database):
        self.db = db

    # --- the table -------------------------------------------------------
    def ordered_ids(self, f: RosterFilter) -> list[int]:
        with self.db.reading() as conn:
            return roster_query.ordered_ids(conn, f)

    def first_page(self, f: RosterFilter, limit: int) -> tuple[list[int], int] | None:
        """The first `limit` ordered ids and the total count (None: only ordered_ids can)."""
        with self.db.reading() as conn:
            return roster_query.first_page(conn, f, limit)

    def fetch_rows(self, ids: list[int], keys: list[str]) -> dict[int, tuple]:
        with self.db.reading() as conn:
            return roster_query.fetch_rows(conn, ids, keys)

    # --- one member ------------------------------------------------------
    def get(self, member_id: int) -> Member:
        with self.db.reading() as conn:
            return repo.get(conn, member_id)

    def events(self, member_id: int) -> list[MemberEvent]:
        with self.db.reading() as conn:
            return repo.events(conn, member_id)

    def group_changes(self, member_id: int) -> list[GroupChange]:
        """The member's dated changes of 党小组, oldest first."""
        with self.db.reading() as conn:
            return group_changes(group_history.stretches(conn, [member_id]).get(member_id, []))

    def check(self, m: Member, today: date | None = None) -> None:
        """Every rule, including those that need the database; raises ValidationErrors."""
        with self.db.reading() as conn:
            self._check(conn, m, today)

    def add(self, m: Member, *, transfer_from: str = "", when: date | None = None) -> int:
        """A new member; with transfer_from it is recorded as 转入 from that place."""
        with self.db.transaction() as conn:
            self._check(conn, m)
            m.id = repo.insert(conn, m)
            if transfer_from:
                repo.add_event(conn, MemberEvent(m.id, EventKind.TRANSFER_IN, when or date.today(),
                                                 f"自{transfer_from}转入", m.org_id))
            elif m.joined:
                repo.add_event(conn, MemberEvent(m.id, EventKind.JOINED, m.joined, "", m.org_id))
            return m.id

    def update(self, m: Member, when: date | None = None) -> None:
        """Save the record; a move to another branch or 党小组 counts from `when` (default today;
        not after today, nor before the member joined)."""
        with self.db.transaction() as conn:
            old = repo.get(conn, m.id)
            self._check(conn, m)
            if (old.org_id, old.group_id) != (m.org_id, m.group_id):
                when = move_date(when, date.today(), m.joined)
            when = when or date.today()
            repo.update(conn, m, when)
            if old.org_id != m.org_id:
                names = {o.id: o.name for o in org_repo.all_organizations(conn)}
                repo.add_event(conn, MemberEvent(
                    m.id, EventKind.MOVED, when,
                    f"由{names.get(old.org_id, '')}调至{names.get(m.org_id, '')}", m.org_id))

    # --- events ----------------------------------------------------------
    def leave(self, member_id: int, kind: EventKind, when: date, detail: str = "") -> None:
        """转出/停止党籍/出党/去世: a dated event; the record stays, marked as left."""
        if kind not in LEAVING_EVENTS:
            raise FieldError("事由", f"“{kind.value}”不是离开的事由")
        if kind is EventKind.TRANSFER_OUT and not detail.strip():
            raise FieldError("转往", "请填写转往的党组织")
        with self.db.transaction() as conn:
            m = repo.get(conn, member_id)
            if m.status is not Status.ACTIVE:
                raise Conflict(f"{m.name}已不在册（{m.status.value}）")
            if m.joined and when < m.joined:
                raise FieldError("日期", "不能早于加入党组织日期")
            repo.add_event(conn, MemberEvent(member_id, kind, when, detail.strip(), m.org_id))
            repo.set_status(conn, member_id, LEAVING_EVENTS[kind], when)

    def transfer_out(self, member_id: int, when: date, destination: str) -> None:
        self.leave(member_id, EventKind.TRANSFER_OUT, when, destination)

    def confirm(self, member_id: int, when: date, meeting: str = "") -> None:
        """转正: the branch meeting's vote, approved above; 党龄 counts from this date."""
        with self.db.transaction() as conn:
            m = repo.get(conn, member_id)
            if m.category is not Category.PROBATIONARY:
                raise Conflict(f"{m.name}不是预备党员")
            if m.joined and when <= m.joined:
                raise FieldError("转正日期", "应晚于加入党组织日期")
            m.category, m.confirmed = Category.FULL, when
            repo.update(conn, m)
            repo.add_event(conn, MemberEvent(member_id, EventKind.CONFIRMED, when, meeting, m.org_id))

    def extend_probation(self, member_id: int, months: int, when: date, reason: str = "") -> None:
        with self.db.transaction() as conn:
            m = repo.get(conn, member_id)
            if m.category is not Category.PROBATIONARY:
                raise Conflict(f"{m.name}不是预备党员")
            if m.probation_extension_months:
                raise Conflict(f"{m.name}的预备期已延长过一次，不能再延长")
            if not 6 <= months <= 12:
                raise FieldError("延长预备期", "只能延长6至12个月")
            m.probation_extension_months = months
            repo.update(conn, m)
            repo.add_event(conn, MemberEvent(member_id, EventKind.PROBATION_EXTENDED, when,
                                             f"延长{months}个月 {reason}".strip(), m.org_id))

    # --- rules that need the database -------------------------------------
    def _check(self, conn, m: Member, today: date | None = None, *,
               org_of: Callable[[int], Organization] | None = None,
               holder_of: Callable[[str], tuple[int, str, str] | None] | None = None) -> None:
        """Every rule for one member; raises ValidationErrors naming each wrong field.

        The database is asked two things: an organisation by id (`org_of`) and who
        already holds an ID number (`holder_of`). A bulk caller such as the roster
        import passes answers it fetched once for all rows; by default each is a query.
        """
        org_of = org_of or (lambda org_id: org_repo.get(conn, org_id))
        holder_of = holder_of or (lambda number: repo.find_by_id_number(conn, number))
        errors: list[FieldError] = []
        try:
            m.name = normalize_name(m.name)
        except FieldError as e:
            errors.append(e)
        try:
            m.id_number = normalize_id_number(m.id_number)
        except FieldError as e:
            errors.append(e)
        try:
            validate_member(m, today)
        except ValidationErrors as e:
            errors.extend(x for x in e.errors if x.field not in {y.field for y in errors})
        if m.org_id is not None:
            self._place(conn, m, errors, org_of)
        if m.id_number:
            hit = holder_of(m.id_number)
            if hit and hit[0] != m.id:
                errors.append(FieldError("公民身份号码", f"与已有党员“{hit[1]}”（{hit[2]}）重复"))
        if errors:
            raise ValidationErrors(errors)

    def _place(self, conn, m: Member, errors: list[FieldError],
               org_of: Callable[[int], Organization] | None = None) -> None:
        """A member sits in a branch (or community/总支); a 党小组 chosen means its branch."""
        org_of = org_of or (lambda org_id: org_repo.get(conn, org_id))
        try:
            org = org_of(m.org_id)
        except Exception:
            errors.append(FieldError("所在党支部", "所选组织不存在"))
            return
        if org.kind is OrgKind.GROUP:
            m.group_id, m.org_id = org.id, org.parent_id
        elif org.kind not in MEMBER_HOLDING_KINDS:
            errors.append(FieldError("所在党支部", f"党员不能直接隶属于{org.kind.value}"))
        if org.dissolved:
            errors.append(FieldError("所在党支部", f"“{org.name}”已撤销"))
        if m.group_id is not None:
            group = org_of(m.group_id)
            if group.kind is not OrgKind.GROUP or group.parent_id != m.org_id:
                errors.append(FieldError("党小组", "所选党小组不属于所在党支部"))
