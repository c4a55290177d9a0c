"""Small table models of the 双报到 page and dialogs (tens to hundreds of rows each).

Each is a list of domain objects and a tuple of (header, how to show a row); the
group service entry's participant list adds a tick per row.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt

from ...domain.registration import (ListItem, Participant, RegisteredMember, ResidentUnit,
                                    ServiceRecord, hours_text)
from ...domain.registration_quota import Shortfall
from .list_model import CHECK, DISPLAY, Index, ListModel

Column = tuple[str, Callable[[Any], Any]]


def _date(d) -> str:
    return d.isoformat() if d else ""


class ColumnsModel(ListModel):
    """A list of domain objects; each column is (header, how to show a row)."""

    columns: tuple[Column, ...] = ()

    def __init_subclass__(cls, **kw) -> None:
        super().__init_subclass__(**kw)
        cls.headers = [h for h, _ in cls.columns]

    def row(self, index: Index):
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or role != DISPLAY:
            return None
        value = self.columns[index.column()][1](self.rows[index.row()])
        return "" if value is None else str(value)


class RegisteredMemberModel(ColumnsModel):
    columns = (("姓名", lambda r: r.name), ("性别", lambda r: r.sex),
               ("工作单位", lambda r: r.employer), ("所在党组织", lambda r: r.employer_org),
               ("联系电话", lambda r: r.phone), ("所在网格", lambda r: r.grid),
               ("服务岗位", lambda r: r.posts_text), ("报到日期", lambda r: _date(r.reported_on)),
               ("花名册", lambda r: "已关联" if r.member_id else ""))

    def member(self, index: Index) -> RegisteredMember | None:
        return self.row(index)


class UnitModel(ColumnsModel):
    columns = (("单位名称", lambda u: u.name), ("单位党组织", lambda u: u.party_org),
               ("书记", lambda u: u.secretary), ("联络员", lambda u: u.liaison),
               ("党员人数", lambda u: u.members_count), ("报到日期", lambda u: _date(u.reported_on)),
               ("共建协议期限", lambda u: u.agreement_period),
               ("协议扫描件", lambda u: u.scan.file_name if u.scan else ""))

    def unit(self, index: Index) -> ResidentUnit | None:
        return self.row(index)


class ItemModel(ColumnsModel):
    columns = (("清单", lambda i: i.kind.value), ("事项", lambda i: i.title),
               ("提出方", lambda i: i.owner), ("状态", lambda i: i.status.value),
               ("认领人", lambda i: i.claimed_by))

    def item(self, index: Index) -> ListItem | None:
        return self.row(index)


class ServiceModel(ColumnsModel):
    columns = (("日期", lambda s: _date(s.day)), ("活动内容", lambda s: s.activity),
               ("服务岗位", lambda s: s.post.value), ("时长（小时）", lambda s: hours_text(s.hours)),
               ("参加人数", lambda s: len(s.participants)), ("确认人", lambda s: s.confirmed_by),
               ("参加人员", lambda s: "、".join(p.name for p in s.participants)))

    def service(self, index: Index) -> ServiceRecord | None:
        return self.row(index)


class ShortfallModel(ColumnsModel):
    columns = (("期间", lambda s: s.period), ("姓名", lambda s: s.name),
               ("工作单位", lambda s: s.employer), ("情况", lambda s: s.text))

    def shortfall(self, index: Index) -> Shortfall | None:
        return self.row(index)


class ParticipantModel(ColumnsModel):
    """Everyone registered with the community; tick who took part (fast group entry)."""

    columns = (("参加", lambda p: ""), ("姓名（单位）", lambda p: p.name),
               ("类别", lambda p: p.ref.kind.value))

    def __init__(self, rows: list[Participant] | None = None, parent=None):
        super().__init__(rows, parent)
        self.ticked: set = set()

    def set_rows(self, rows: list) -> None:
        self.ticked = set()
        super().set_rows(rows)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if index.isValid() and index.column() == 0 and role == CHECK:
            ref = self.rows[index.row()].ref
            return Qt.CheckState.Checked if ref in self.ticked else Qt.CheckState.Unchecked
        if index.isValid() and index.column() == 0 and role == DISPLAY:
            return None
        return super().data(index, role)

    def flags(self, index: Index):
        f = super().flags(index)
        return f | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else f

    def setData(self, index: Index, value: Any, role: int = CHECK) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != 0 or role != CHECK:
            return False
        ref = self.rows[index.row()].ref
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        if checked:
            self.ticked.add(ref)
        else:
            self.ticked.discard(ref)
        self.dataChanged.emit(index, index, [CHECK])
        return True

    def set_all(self, checked: bool) -> None:
        self.beginResetModel()
        self.ticked = {p.ref for p in self.rows} if checked else set()
        self.endResetModel()

    def set_all_shown(self) -> None:
        """Repaint after `ticked` was filled directly."""
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0), [CHECK])

    def chosen(self) -> list[Participant]:
        return [Participant(p.ref, p.name) for p in self.rows if p.ref in self.ticked]


class CommitmentModel(ColumnsModel):
    columns = (("承诺人", lambda c: c.name), ("类别", lambda c: c.ref.kind.value),
               ("承诺内容", lambda c: c.content), ("状态", lambda c: c.status_text),
               ("践诺日期", lambda c: _date(c.kept_on)), ("践诺情况", lambda c: c.evidence))


class FeedbackSheetModel(ColumnsModel):
    """The people of a 反馈表 with their figures and the community's appraisal."""

    columns = (("姓名（单位）", lambda s: s.name), ("工作单位", lambda s: s.employer),
               ("服务次数", lambda s: s.service_count), ("时长（小时）", lambda s: hours_text(s.total_hours)),
               ("承诺践诺", lambda s: s.commitment_text),
               ("社区评价", lambda s: (s.appraisal.value + ("（建议）" if s.appraisal_suggested else ""))
                if s.appraisal else ""),
               ("评价意见", lambda s: s.comment))
