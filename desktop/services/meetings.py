"""Use cases of 三会一课: plan, record and complete meetings; see what is missing; print.

Attendance is taken from the roster as it stood on the meeting date (see
domain/meeting_rules.py); the clerk ticks who came. Frequencies are settings of
the database (`meeting.frequency.<会议类型>`), defaulting to domain.md's.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ..domain.errors import FieldError, NotFound, ValidationErrors
from ..domain.meeting import (MULTI_ORG_ROLE, Attachment, AttachmentKind, Attendee, Meeting,
                              MeetingKind, MeetingStatus, PrintableMeeting, absence_text,
                              time_range_text)
from ..domain.meeting_calendar import (COMMITTEE_MIN_SEATS, DEFAULT_FREQUENCIES, ComplianceRow,
                                       Frequency, MeetingSummary, OrgCalendar, build_calendar,
                                       compliance_row, compliance_rows)
from ..domain.meeting_ledger import (Ledger, LedgerMeeting, LedgerSheet, LedgerSummaryRow,
                                     MemberAttendance, attendance_stats)
from ..domain.meeting_rules import (MULTI_ORG_KINDS, guests_on, is_late, members_on, tally_from_counts,
                                    validate_meeting)
from ..domain.names import pinyin_key
from ..domain.organization import OrgKind, Organization
from ..domain.tasks import CancelToken, Progress, no_progress
from ..storage import meetings as repo
from ..storage import organizations as org_repo
from ..storage import settings as settings_repo
from ..storage.database import Database

FREQ_PREFIX = "meeting.frequency."
GRACE_KEY = "meeting.late_grace_days"


class MeetingService:
    def __init__(self, db: Database):
        self.db = db

    # --- settings ----------------------------------------------------------------------
    def frequencies(self) -> dict[MeetingKind, Frequency]:
        with self.db.reading() as conn:
            return self._frequencies(conn)

    def _frequencies(self, conn) -> dict[MeetingKind, Frequency]:
        out = dict(DEFAULT_FREQUENCIES)
        for key, value in settings_repo.get_prefixed(conn, FREQ_PREFIX).items():
            try:
                out[MeetingKind(key[len(FREQ_PREFIX):])] = Frequency(value)
            except ValueError:
                continue  # a setting from a newer version: keep the default
        return out

    def set_frequency(self, kind: MeetingKind, frequency: Frequency) -> None:
        with self.db.transaction() as conn:
            if DEFAULT_FREQUENCIES.get(kind) is frequency:
                settings_repo.delete(conn, FREQ_PREFIX + kind.value)
            else:
                settings_repo.put(conn, FREQ_PREFIX + kind.value, frequency.value)

    def late_grace_days(self) -> int:
        with self.db.reading() as conn:
            return self._grace(conn)

    def _grace(self, conn) -> int:
        try:
            return max(0, int(settings_repo.get(conn, GRACE_KEY, "0") or 0))
        except ValueError:
            return 0

    def set_late_grace_days(self, days: int) -> None:
        if not 0 <= days <= 60:
            raise FieldError("补记期限", "应为0至60天")
        with self.db.transaction() as conn:
            settings_repo.put(conn, GRACE_KEY, str(days))

    # --- drafting ----------------------------------------------------------------------
    def expected_attendees(self, org_id: int, kind: MeetingKind, day: date) -> list[Attendee]:
        """应到 from the roster as it stood on `day` (支委会: the committee members then)."""
        with self.db.reading() as conn:
            return self._expected(conn, org_id, kind, day)

    def _expected(self, conn, org_id: int, kind: MeetingKind, day: date) -> list[Attendee]:
        if kind is MeetingKind.JOINT:
            return []
        org = org_repo.get(conn, org_id)
        if org.kind is OrgKind.GROUP and org.parent_id:
            people = members_on(repo.histories_for(conn, [org_id, org.parent_id]), org_id, day,
                                group_of=org.parent_id)
        else:
            people = members_on(repo.histories_for(conn, [org_id]), org_id, day)
        if kind is MeetingKind.COMMITTEE:
            here = {h.member_id: (h, cat) for h, cat in people}
            return [Attendee(s.member_id, here[s.member_id][0].name, here[s.member_id][1], role=s.role.value)
                    for s in org_repo.committee(conn, org_id, day) if s.member_id in here]
        people.sort(key=lambda hc: (pinyin_key(hc[0].name), hc[0].member_id))
        out = [Attendee(h.member_id, h.name, cat) for h, cat in people]
        if kind in MULTI_ORG_KINDS and org.kind is not OrgKind.GROUP:
            guests = guests_on(repo.multi_org_histories(conn, org_id),
                               {a.member_id for a in out}, day)
            guests.sort(key=lambda hc: (pinyin_key(hc[0].name), hc[0].member_id))
            out += [Attendee(h.member_id, h.name, cat, role=MULTI_ORG_ROLE) for h, cat in guests]
        return out

    def draft(self, org_id: int, kind: MeetingKind, start: datetime,
              status: MeetingStatus = MeetingStatus.HELD) -> Meeting:
        """A new meeting with its expected attendance; the secretary chairs by default."""
        with self.db.reading() as conn:
            org_repo.get(conn, org_id)
            attendees = self._expected(conn, org_id, kind, start.date())
            seats = org_repo.committee(conn, org_id, start.date())
        m = Meeting(org_id, kind, start, status=status, attendees=attendees)
        ids = {a.member_id for a in attendees}
        secretary = next((s for s in seats if s.role.value == "书记" and s.member_id in ids), None)
        if secretary:
            m.host_id, m.host_name = secretary.member_id, secretary.member_name
        return m

    def refresh_attendance(self, m: Meeting) -> Meeting:
        """Recompute 应到 for the meeting's (new) date or kind, keeping what was ticked."""
        fresh = self.expected_attendees(m.org_id, m.kind, m.day)
        before = {a.member_id: a for a in m.attendees}
        for a in fresh:
            old = before.get(a.member_id)
            if old is not None:
                a.present, a.reason, a.note = old.present, old.reason, old.note
        m.attendees = fresh
        return m

    # --- records -----------------------------------------------------------------------
    def save(self, m: Meeting, today: date | None = None) -> Meeting:
        """Insert or update; a held meeting recorded after its date is marked 补记."""
        today = today or date.today()
        validate_meeting(m)
        if m.status is MeetingStatus.HELD and m.day > today:
            raise ValidationErrors([FieldError("时间", "会议尚未召开，只能保存为计划")])
        with self.db.transaction() as conn:
            org = org_repo.get(conn, m.org_id)
            if org.dissolved and org.dissolved <= m.day:
                raise FieldError("组织", f"“{org.name}”已于{org.dissolved.isoformat()}撤销")
            self._fill_names(m)
            if m.status is MeetingStatus.HELD:
                if m.id is not None:
                    old = repo.get(conn, m.id)
                    m.recorded_on = old.recorded_on if old.status is MeetingStatus.HELD else None
                m.recorded_on = m.recorded_on or today
                m.late = is_late(m.day, m.recorded_on, self._grace(conn))
            else:
                m.recorded_on, m.late = None, False
            if m.id is None:
                m.id = repo.insert(conn, m)
            else:
                repo.update(conn, m)
            return repo.get(conn, m.id)

    @staticmethod
    def _fill_names(m: Meeting) -> None:
        names = {a.member_id: a.name for a in m.attendees}
        if m.host_id is not None and not m.host_name:
            m.host_name = names.get(m.host_id, "")
        if m.recorder_id is not None and not m.recorder_name:
            m.recorder_name = names.get(m.recorder_id, "")

    def get(self, meeting_id: int) -> Meeting:
        with self.db.reading() as conn:
            return repo.get(conn, meeting_id)

    def delete(self, meeting_id: int) -> None:
        with self.db.transaction() as conn:
            repo.get(conn, meeting_id)
            repo.remove(conn, meeting_id)

    def list(self, org_id: int | None, year: int) -> list[MeetingSummary]:
        with self.db.reading() as conn:
            return repo.summaries(conn, org_ids=None if org_id is None else [org_id],
                                  start=date(year, 1, 1), end=date(year, 12, 31))

    # --- attachments -------------------------------------------------------------------
    def attach(self, meeting_id: int, file_name: str, data: bytes,
               kind: AttachmentKind = AttachmentKind.PHOTO, caption: str = "") -> Attachment:
        """Copy the file into the database's own files folder and record it."""
        if not data:
            raise FieldError("附件", f"文件“{file_name}”是空的")
        with self.db.transaction() as conn:
            repo.get(conn, meeting_id)
            rel, digest = repo.store_file(self.db.path, data, file_name)
            a = Attachment(kind, Path(file_name).name, rel, digest, len(data), caption)
            a.id = repo.add_attachment(conn, meeting_id, a)
            return a

    def attachment_path(self, a: Attachment) -> Path:
        return repo.file_path(self.db.path, a.path)

    def update_attachment(self, a: Attachment) -> None:
        with self.db.transaction() as conn:
            repo.update_attachment(conn, a)

    def remove_attachment(self, attachment_id: int) -> None:
        with self.db.transaction() as conn:
            repo.attachment(conn, attachment_id)
            repo.remove_attachment(conn, attachment_id)

    # --- what is missing -----------------------------------------------------------------
    def calendar(self, org_id: int, year: int, today: date | None = None) -> OrgCalendar:
        today = today or date.today()
        with self.db.reading() as conn:
            org = org_repo.get(conn, org_id)
            sizes = repo.committee_sizes(conn)
            meetings = repo.summaries(conn, org_ids=[org_id], start=date(year, 1, 1),
                                      end=date(year, 12, 31))
            freqs = self._frequencies(conn)
        return self._calendar(org, year, meetings, freqs, sizes, today)

    @staticmethod
    def _calendar(org: Organization, year: int, meetings, freqs, sizes, today) -> OrgCalendar:
        return build_calendar(org.id, org.name, org.kind, year, meetings, freqs, today,
                              has_committee=sizes.get(org.id, 0) >= COMMITTEE_MIN_SEATS,
                              founded=org.founded, dissolved=org.dissolved)

    def compliance(self, year: int, quarter: int, today: date | None = None,
                   include_groups: bool = False) -> list[ComplianceRow]:
        """Every organisation (groups optional) for one quarter, most missing first."""
        today = today or date.today()
        with self.db.reading() as conn:
            orgs = org_repo.all_organizations(conn)
            sizes = repo.committee_sizes(conn)
            meetings = repo.summaries(conn, start=date(year, 1, 1), end=date(year, 12, 31))
            freqs = self._frequencies(conn)
        names = {o.id: o.name for o in orgs}
        by_org: dict[int, list[MeetingSummary]] = {}
        for m in meetings:
            by_org.setdefault(m.org_id, []).append(m)
        rows = []
        for o in self._ledger_orgs(orgs, year, include_groups):
            cal = self._calendar(o, year, by_org.get(o.id, []), freqs, sizes, today)
            rows.append(compliance_row(cal, names.get(o.parent_id, ""), quarter, by_org.get(o.id, [])))
        rows.sort(key=lambda r: (-r.missing, -r.due, pinyin_key(r.org_name)))
        return rows

    @staticmethod
    def _ledger_orgs(orgs: list[Organization], year: int, include_groups: bool) -> list[Organization]:
        out = []
        for o in orgs:
            if o.dissolved and o.dissolved.year < year:
                continue
            if o.kind is OrgKind.GROUP and not include_groups:
                continue
            out.append(o)
        return out

    def attendance_stats(self, org_id: int, year: int) -> list[MemberAttendance]:
        """Per member of the organisation and its groups: expected / attended / absent."""
        with self.db.reading() as conn:
            ids = [org_id] + [n.id for n in org_repo.tree_nodes(conn, include_dissolved=True)
                              if n.parent_id == org_id and n.kind is OrgKind.GROUP]
            records = repo.attendance_records(conn, ids, date(year, 1, 1), date(year, 12, 31))
        return attendance_stats(records)

    def ledger(self, year: int, today: date | None = None, progress: Progress = no_progress,
               cancel: CancelToken | None = None, *, sheets: bool = True) -> Ledger:
        """三会一课台账: a summary branch × kind × quarter and every meeting per organisation
        (without `sheets`, the summary alone: no votes, absences or per-meeting lines read)."""
        today = today or date.today()
        cancel = cancel or CancelToken()
        progress(0, 0, "正在读取会议记录…")
        with self.db.reading() as conn:
            orgs = org_repo.all_organizations(conn)
            sizes = repo.committee_sizes(conn)
            freqs = self._frequencies(conn)
            full = repo.year_meetings(conn, year)
            votes = repo.year_vote_counts(conn, year) if sheets else {}
            absences = repo.year_absences(conn, year) if sheets else {}
        cancel.check()
        names = {o.id: o.name for o in orgs}
        root = next((o.name for o in orgs if o.parent_id is None), "")
        by_org: dict[int, list[Meeting]] = {}
        for m in full:
            by_org.setdefault(m.org_id, []).append(m)
        summary: list[LedgerSummaryRow] = []
        org_sheets: list[LedgerSheet] = []
        chosen = self._ledger_orgs(orgs, year, include_groups=True)
        for i, o in enumerate(chosen):
            mine = by_org.get(o.id, [])
            summaries = [_summary(m) for m in mine]
            cal = self._calendar(o, year, summaries, freqs, sizes, today)
            if not cal.rows and not mine:
                continue
            by_quarter = [r.by_kind for r in compliance_rows(cal, "", summaries)]
            for row in cal.rows:
                if row.frequency is Frequency.NONE:
                    continue
                held = [m for m in mine if m.kind is row.kind and m.status is MeetingStatus.HELD]
                summary.append(LedgerSummaryRow(
                    o.id, o.name, names.get(o.parent_id, ""), row.kind,
                    [b[row.kind] for b in by_quarter],
                    sum(m.expected_count for m in held), sum(m.present_count for m in held)))
            if sheets:
                org_sheets.append(LedgerSheet(o.id, o.name, [
                    _ledger_line(m, votes.get(m.id, (0, 0)), absences.get(m.id, [])) for m in mine]))
            if i % 10 == 0:
                cancel.check()
                progress(i + 1, len(chosen), "正在汇总台账…")
        return Ledger(year, root, today, summary, org_sheets)

    # --- printing ----------------------------------------------------------------------
    def printable(self, meeting_ids: list[int], with_photos: bool = False) -> list[PrintableMeeting]:
        with self.db.reading() as conn:
            names = {o.id: o.name for o in org_repo.all_organizations(conn)}
            out = []
            for mid in meeting_ids:
                m = repo.get(conn, mid)
                photos = [(a.caption or a.kind.value, str(self.attachment_path(a)))
                          for a in m.attachments if with_photos and a.is_image
                          and self.attachment_path(a).is_file()]
                out.append(PrintableMeeting(m, names.get(m.org_id, ""), photos))
        return out

    def meeting_ids(self, org_id: int, year: int) -> list[int]:
        with self.db.reading() as conn:
            return repo.ids_for(conn, org_id, year)

    def export_minutes(self, path: Path | str, meeting_ids: list[int], *, one_per_page: bool = True,
                       with_photos: bool = False, progress: Progress = no_progress,
                       cancel: CancelToken | None = None) -> int:
        """会议记录 PDF of these meetings; returns the page count."""
        from ..exports.pdf.minutes import write_minutes

        if not meeting_ids:
            raise NotFound("没有可打印的会议记录")
        items = self.printable(meeting_ids, with_photos)
        return write_minutes(path, items, one_per_page=one_per_page, progress=progress,
                             cancel=cancel).pages

    def export_signin(self, path: Path | str, meeting_id: int) -> int:
        """A blank 签到表 listing the expected members, with a signature column."""
        from ..exports.pdf.signin import write_signin

        (item,) = self.printable([meeting_id])
        return write_signin(path, item).pages

    def export_ledger(self, path: Path | str, year: int, today: date | None = None,
                      progress: Progress = no_progress, cancel: CancelToken | None = None) -> Path:
        """三会一课台账 as .xlsx (a sheet per organisation + summary) or .pdf (the summary)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".xlsx", ".pdf"):
            raise FieldError("文件", "台账只能导出为 .xlsx 或 .pdf 文件")
        ledger = self.ledger(year, today, progress, cancel)
        if suffix == ".xlsx":
            from ..exports.xlsx.ledger import write_ledger_xlsx

            write_ledger_xlsx(path, ledger, cancel=cancel)
        else:
            from ..exports.pdf.ledger import write_ledger_pdf

            write_ledger_pdf(path, ledger, cancel=cancel, progress=progress)
        return path


def _summary(m: Meeting) -> MeetingSummary:
    expected, present = _counts(m)
    return MeetingSummary(m.id, m.org_id, m.kind, m.day, m.status, m.late, m.topic_line,
                          expected, present)


def _counts(m: Meeting) -> tuple[int, int]:
    """(expected, present) as stored with the row (the attendance itself is not loaded)."""
    return m.expected_count, m.present_count


def _ledger_line(m: Meeting, votes: tuple[int, int], absent: list[tuple[str, str, str]]) -> LedgerMeeting:
    expected, present = _counts(m)
    t = tally_from_counts(m.kind, expected, present, *votes)
    valid = "" if t.valid is None else ("有效" if t.valid else "无效")
    status = m.status.value if m.status is MeetingStatus.PLANNED else ("补记" if m.late else "已召开")
    return LedgerMeeting(
        m.day, time_range_text(m.start, m.end), m.title_kind,
        m.topic_line or m.lecture_title, m.place, m.host_name, m.recorder_name,
        expected if m.status is MeetingStatus.HELD else 0,
        present if m.status is MeetingStatus.HELD else 0,
        "、".join(absence_text(*a) for a in absent) if m.status is MeetingStatus.HELD else "",
        valid if m.status is MeetingStatus.HELD else "", status)

