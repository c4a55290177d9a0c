"""Use cases of 双报到 / 双报告: register in-service members and resident units, keep the
community's lists and the claims on them, commitments and service records, see who
falls short of the quotas, and print 报到单, 反馈表 and the overview for the street.

A registration may be linked to a roster member (the person is also on our roster):
name, sex, ID number, phone and address then come from the roster instead of being
typed twice. Quotas are settings of the database (registration.quota.*).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ..domain.errors import Conflict, FieldError, NotFound
from ..domain.masking import mask_id_number, mask_phone
from ..domain.names import pinyin_key
from ..domain.organization import OrgKind
from ..domain.registration import (Commitment, ItemStatus, ListItem, ListKind, Participant, Ref,
                                   RegisteredMember, RegistrantKind, ResidentUnit, ScanFile,
                                   ServiceRecord, validate_commitment, validate_item,
                                   validate_registration, validate_service, validate_unit)
from ..domain.registration_feedback import (AppraisalRecord, FeedbackCommitment, FeedbackDocument,
                                            FeedbackService, FeedbackSheet, OverviewRow,
                                            RegistrationOverview, group_by_employer,
                                            suggest_appraisal)
from ..domain.registration_quota import (Person, Quotas, ShortfallReport, period_bounds,
                                         period_text, quarter_of, quarter_shortfalls,
                                         year_shortfalls)
from ..domain.tasks import CancelToken, Progress, no_progress
from ..storage import organizations as org_repo
from ..storage import registrations as repo
from ..storage import settings as settings_repo
from ..storage.database import Database
from .registration_import import RegistrationImporter

QUOTA_PREFIX = "registration.quota."
COMMUNITY_KINDS = (OrgKind.COMMUNITY, OrgKind.GENERAL_BRANCH)


class RegistrationService:
    def __init__(self, db: Database):
        self.db = db
        self.importer = RegistrationImporter(db, self)
        """Registration lists from .xlsx: importer.preview(path, community_id) then commit(plan)."""

    # --- settings ----------------------------------------------------------------------
    def quotas(self) -> Quotas:
        with self.db.reading() as conn:
            return Quotas.from_settings(settings_repo.get_prefixed(conn, QUOTA_PREFIX))

    def set_quotas(self, q: Quotas) -> None:
        q.validate()
        with self.db.transaction() as conn:
            for key, value in q.as_settings().items():
                settings_repo.put(conn, key, value)

    # --- communities ---------------------------------------------------------------------
    def communities(self, org_id: int | None = None) -> list[tuple[int, str]]:
        """(id, name) of the communities within `org_id`'s subtree, or above it, or all."""
        with self.db.reading() as conn:
            nodes = org_repo.tree_nodes(conn)
        by_id = {n.id: n for n in nodes}
        comms = [n for n in nodes if n.kind in COMMUNITY_KINDS]
        if org_id is None or org_id not in by_id:
            return [(n.id, n.name) for n in comms]
        up = org_id
        while up is not None:  # a branch or group: its community
            if by_id[up].kind in COMMUNITY_KINDS:
                return [(up, by_id[up].name)]
            up = by_id[up].parent_id
        return [(n.id, n.name) for n in comms if self._under(by_id, n.id, org_id)]

    @staticmethod
    def _under(by_id, node_id: int, root: int) -> bool:
        while node_id is not None:
            if node_id == root:
                return True
            node_id = by_id[node_id].parent_id
        return False

    def check_community(self, conn, community_id: int | None) -> None:
        if community_id is None:
            raise FieldError("报到社区", "请选择报到的社区")
        org = org_repo.get(conn, community_id)
        if org.kind not in COMMUNITY_KINDS:
            raise FieldError("报到社区", f"“{org.name}”不是社区党组织")

    # --- in-service members ----------------------------------------------------------------
    def from_roster(self, member_id: int, community_id: int | None = None,
                    today: date | None = None) -> RegisteredMember:
        """A new registration prefilled from a roster member (to link instead of retyping),
        reported `today` (the real date unless given)."""
        with self.db.reading() as conn:
            p = repo.roster_person(conn, member_id)
        return RegisteredMember(community_id, p.name, sex=p.sex, phone=p.mobile or p.phone,
                                id_number=p.id_number, address=p.address, member_id=p.id,
                                reported_on=today or date.today())

    def roster_match(self, id_number: str) -> tuple[int, str] | None:
        """(member id, name) of the roster member holding this ID number, if any."""
        with self.db.reading() as conn:
            mid = repo.roster_id_by_number(conn, id_number.strip().upper()) if id_number else None
            return (mid, repo.roster_person(conn, mid).name) if mid else None

    def register(self, r: RegisteredMember, today: date | None = None) -> RegisteredMember:
        """Insert or update a 在职党员报到; links to the roster by ID number when it matches."""
        with self.db.transaction() as conn:
            self.check_community(conn, r.community_id)
            if r.member_id is None and r.id_number.strip():
                r.member_id = repo.roster_id_by_number(conn, r.id_number.strip().upper())
            if r.member_id is not None:
                self.fill_from_roster(conn, r)
            validate_registration(r, today)
            self._check_duplicates(conn, r)
            if r.id is None:
                r.id = repo.insert_member(conn, r)
            else:
                repo.get_member(conn, r.id)
                repo.update_member(conn, r)
            return repo.get_member(conn, r.id)

    @staticmethod
    def fill_from_roster(conn, r: RegisteredMember) -> None:
        p = repo.roster_person(conn, r.member_id)
        r.name, r.sex, r.id_number = p.name, p.sex, p.id_number
        r.phone = r.phone.strip() or p.mobile or p.phone
        r.address = r.address.strip() or p.address

    @staticmethod
    def _check_duplicates(conn, r: RegisteredMember) -> None:
        if r.id_number:
            other = repo.member_by_id_number(conn, r.id_number)
            if other is not None and other.id != r.id:
                raise Conflict(f"公民身份号码{mask_id_number(r.id_number)}已由“{other.name}”报到登记")
        if r.member_id is not None:
            other = repo.member_by_roster_id(conn, r.member_id)
            if other is not None and other.id != r.id:
                raise Conflict(f"花名册中的“{other.name}”已经报到登记")

    def get(self, reg_id: int) -> RegisteredMember:
        with self.db.reading() as conn:
            return repo.get_member(conn, reg_id)

    def members(self, community_id: int | None = None) -> list[RegisteredMember]:
        with self.db.reading() as conn:
            return repo.members(conn, None if community_id is None else [community_id])

    def remove(self, ref: Ref) -> None:
        """A registration (member or unit) with its claims, commitments, participations."""
        with self.db.transaction() as conn:
            repo.community_of(conn, ref)
            repo.remove(conn, ref)

    # --- resident units -----------------------------------------------------------------
    def save_unit(self, u: ResidentUnit, today: date | None = None,
                  scan: tuple[str, bytes] | None = None) -> ResidentUnit:
        """Insert or update a 驻区单位报到; `scan` (file name, bytes) attaches the signed
        共建协议 in the same transaction."""
        validate_unit(u, today)
        if scan is not None and not scan[1]:
            raise FieldError("协议扫描件", f"文件“{scan[0]}”是空的")
        with self.db.transaction() as conn:
            if scan is not None:
                u.scan = self._store(scan[0], scan[1])
            self.check_community(conn, u.community_id)
            same = [x for x in repo.units(conn, [u.community_id]) if x.name == u.name and x.id != u.id]
            if same:
                raise Conflict(f"“{u.name}”已在本社区报到")
            if u.id is None:
                u.id = repo.insert_unit(conn, u)
            else:
                repo.get_unit(conn, u.id)
                repo.update_unit(conn, u)
            return repo.get_unit(conn, u.id)

    def unit(self, unit_id: int) -> ResidentUnit:
        with self.db.reading() as conn:
            return repo.get_unit(conn, unit_id)

    def units(self, community_id: int | None = None) -> list[ResidentUnit]:
        with self.db.reading() as conn:
            return repo.units(conn, None if community_id is None else [community_id])

    def attach_agreement(self, unit_id: int, file_name: str, data: bytes) -> ResidentUnit:
        """Copy the signed 共建协议 scan into the database's files folder and record it."""
        if not data:
            raise FieldError("协议扫描件", f"文件“{file_name}”是空的")
        with self.db.transaction() as conn:
            u = repo.get_unit(conn, unit_id)
            u.scan = self._store(file_name, data)
            repo.update_unit(conn, u)
            return u

    def _store(self, file_name: str, data: bytes) -> ScanFile:
        rel, digest = repo.store_file(self.db.path, data, file_name)
        return ScanFile(Path(file_name).name, rel, digest, len(data))

    def file_path(self, f: ScanFile) -> Path:
        return repo.file_path(self.db.path, f.path)

    # --- lists and claims ---------------------------------------------------------------
    def save_item(self, item: ListItem) -> ListItem:
        validate_item(item)
        with self.db.transaction() as conn:
            self.check_community(conn, item.community_id)
            if item.id is None:
                item.id = repo.insert_item(conn, item)
            else:
                repo.get_item(conn, item.id)
                repo.update_item(conn, item)
            return repo.get_item(conn, item.id)

    def finish_item(self, item_id: int) -> ListItem:
        """Mark a list item 已完成 (its claims stay on record)."""
        with self.db.transaction() as conn:
            item = repo.get_item(conn, item_id)
            item.status = ItemStatus.DONE
            repo.update_item(conn, item)
            return repo.get_item(conn, item_id)

    def items(self, community_id: int | None = None, kind: ListKind | None = None) -> list[ListItem]:
        with self.db.reading() as conn:
            return repo.items(conn, None if community_id is None else [community_id], kind)

    def claim(self, item_id: int, ref: Ref, day: date | None = None) -> ListItem:
        """认领: the member or unit takes the item on; an open item becomes 已认领."""
        with self.db.transaction() as conn:
            item = repo.get_item(conn, item_id)
            if repo.community_of(conn, ref) != item.community_id:
                raise FieldError("认领", "只能认领本社区的清单事项")
            if any(c.ref == ref for c in item.claims):
                raise Conflict(f"“{next(c.name for c in item.claims if c.ref == ref)}”已认领该事项")
            if item.status is ItemStatus.DONE:
                raise Conflict(f"“{item.title}”已完成，不能再认领")
            repo.add_claim(conn, item, ref, day or date.today())
            if item.status is ItemStatus.OPEN:
                item.status = ItemStatus.CLAIMED
                repo.update_item(conn, item)
            return repo.get_item(conn, item_id)

    def remove_item(self, item_id: int) -> None:
        with self.db.transaction() as conn:
            repo.get_item(conn, item_id)
            repo.remove_item(conn, item_id)

    # --- commitments ------------------------------------------------------------------------
    def save_commitment(self, c: Commitment) -> Commitment:
        validate_commitment(c)
        with self.db.transaction() as conn:
            if c.id is None:
                c.id = repo.insert_commitment(conn, c)
            else:
                repo.get_commitment(conn, c.id)
                repo.update_commitment(conn, c)
            return repo.get_commitment(conn, c.id)

    def keep(self, commitment_id: int, day: date, evidence: str = "") -> Commitment:
        """Mark 已践诺 with its date and evidence."""
        with self.db.transaction() as conn:
            c = repo.get_commitment(conn, commitment_id)
            c.kept_on, c.evidence = day, evidence.strip() or c.evidence
            validate_commitment(c)
            repo.update_commitment(conn, c)
            return repo.get_commitment(conn, commitment_id)

    def commitments(self, year: int | None = None, ref: Ref | None = None) -> list[Commitment]:
        with self.db.reading() as conn:
            return repo.commitments(conn, year, ref)

    def remove_commitment(self, commitment_id: int) -> None:
        with self.db.transaction() as conn:
            repo.get_commitment(conn, commitment_id)
            repo.remove_commitment(conn, commitment_id)

    # --- service records ------------------------------------------------------------------
    def record_service(self, s: ServiceRecord, today: date | None = None,
                       photo: tuple[str, bytes] | None = None) -> ServiceRecord:
        """One activity with all its participants (and a new photo: file name, content),
        in one transaction."""
        validate_service(s, today)
        if photo is not None and not photo[1]:
            raise FieldError("照片", f"文件“{photo[0]}”是空的")
        with self.db.transaction() as conn:
            self.check_community(conn, s.community_id)
            who = repo.names(conn)
            for p in s.participants:
                if p.ref not in who:
                    raise NotFound(f"参加人员（编号{p.ref.id}）不存在")
                if repo.community_of(conn, p.ref) != s.community_id:
                    raise FieldError("参加人员", f"“{who[p.ref]}”不在本社区报到")
                p.name = who[p.ref]
            if photo is not None:
                s.photo = self._store(*photo)
            if s.id is None:
                s.id = repo.insert_service(conn, s)
            else:
                repo.get_service(conn, s.id)
                repo.update_service(conn, s)
            return repo.get_service(conn, s.id)

    def attach_photo(self, service_id: int, file_name: str, data: bytes) -> ServiceRecord:
        if not data:
            raise FieldError("照片", f"文件“{file_name}”是空的")
        with self.db.transaction() as conn:
            s = repo.get_service(conn, service_id)
            s.photo = self._store(file_name, data)
            repo.update_service(conn, s, participants=False)
            return s

    def services(self, year: int, community_id: int | None = None) -> list[ServiceRecord]:
        with self.db.reading() as conn:
            return repo.services(conn, date(year, 1, 1), date(year, 12, 31),
                                 None if community_id is None else [community_id])

    def remove_service(self, service_id: int) -> None:
        with self.db.transaction() as conn:
            repo.get_service(conn, service_id)
            repo.remove_service(conn, service_id)

    def set_appraisal(self, a: AppraisalRecord) -> None:
        a.validate()
        with self.db.transaction() as conn:
            repo.put_appraisal(conn, a)

    # --- who falls short -----------------------------------------------------------------
    def shortfalls(self, today: date | None = None, community_id: int | None = None) -> ShortfallReport:
        """Registered members short of the quotas this quarter and this year (so far),
        and the commitments of this year still open."""
        today = today or date.today()
        year, quarter = today.year, quarter_of(today)
        with self.db.reading() as conn:
            quotas = Quotas.from_settings(settings_repo.get_prefixed(conn, QUOTA_PREFIX))
            regs = repo.members(conn, None if community_id is None else [community_id])
            acts = repo.activities(conn, date(year, 1, 1), date(year, 12, 31))
            open_c = [c for c in repo.commitments(conn, year) if not c.kept]
            if community_id is not None:
                mine = {u.ref for u in repo.units(conn, [community_id])} | {r.ref for r in regs}
                open_c = [c for c in open_c if c.ref in mine]
        people = [Person(r.ref, r.name, r.employer, r.reported_on) for r in regs
                  if r.reported_on <= today]
        key = lambda s: (-(s.need_count - s.have_count), pinyin_key(s.name))  # noqa: E731
        return ShortfallReport(today, period_text(year, quarter), period_text(year, None),
                               sorted(quarter_shortfalls(people, acts, quotas, year, quarter), key=key),
                               sorted(year_shortfalls(people, acts, quotas, year), key=key),
                               open_c)

    # --- feedback (双报告) -------------------------------------------------------------
    def employers(self) -> list[str]:
        """Every employer with people registered (units count as their own employer)."""
        with self.db.reading() as conn:
            names = {r.employer for r in repo.members(conn)} | {u.name for u in repo.units(conn)}
        return sorted((n for n in names if n), key=pinyin_key)

    def feedback_sheets(self, year: int, quarter: int | None = None, employer: str | None = None,
                        masked: bool = True) -> list[FeedbackSheet]:
        start, end = period_bounds(year, quarter)
        with self.db.reading() as conn:
            quotas = Quotas.from_settings(settings_repo.get_prefixed(conn, QUOTA_PREFIX))
            regs, units = repo.members(conn), repo.units(conn)
            records = repo.services(conn, start, end)
            comms = repo.commitments(conn, year)
            grades = repo.appraisals(conn, year, quarter or 0)
            names = {o.id: o.name for o in org_repo.all_organizations(conn)}
        sheets: dict[Ref, FeedbackSheet] = {}
        for r in regs:
            if r.reported_on <= end and (employer is None or r.employer == employer):
                sheets[r.ref] = FeedbackSheet(r.ref, r.name, r.employer, r.employer_org,
                                              mask_phone(r.phone) if masked else r.phone,
                                              mask_id_number(r.id_number) if masked else r.id_number,
                                              r.grid, r.reported_on, names.get(r.community_id, ""))
        for u in units:
            if u.reported_on <= end and (employer is None or u.name == employer):
                sheets[u.ref] = FeedbackSheet(u.ref, u.name, u.name, u.party_org,
                                              mask_phone(u.liaison_phone) if masked else u.liaison_phone,
                                              "", "", u.reported_on, names.get(u.community_id, ""))
        for s in sorted(records, key=lambda s: (s.day, s.id)):
            for p in s.participants:
                if p.ref in sheets:
                    sheets[p.ref].services.append(
                        FeedbackService(s.day, s.activity, s.post.value, s.hours_of(p)))
        for c in comms:
            if c.ref in sheets:
                kept = c.kept_on if c.kept_on and c.kept_on <= end else None
                sheets[c.ref].commitments.append(FeedbackCommitment(c.content, kept, c.evidence))
        for sheet in sheets.values():
            a = grades.get(sheet.ref)
            if a is not None:
                sheet.appraisal, sheet.comment = a.grade, a.comment
            else:
                sheet.appraisal = suggest_appraisal(sheet, quotas, year, quarter)
                sheet.appraisal_suggested = True
        return sorted(sheets.values(), key=lambda s: (pinyin_key(s.employer), s.is_unit,
                                                      pinyin_key(s.name)))

    def feedback(self, year: int, quarter: int | None = None, employer: str | None = None,
                 masked: bool = True, today: date | None = None) -> list[FeedbackDocument]:
        """One 反馈表 document per employer (or only `employer`'s)."""
        sheets = self.feedback_sheets(year, quarter, employer, masked)
        if employer is not None and not sheets:
            raise NotFound(f"“{employer}”没有在社区报到的党员或单位")
        with self.db.reading() as conn:
            orgs = org_repo.all_organizations(conn)
        root = next((o.name for o in orgs if o.parent_id is None), "")
        docs = []
        for emp, group in group_by_employer(sheets).items():
            comms = list(dict.fromkeys(s.community for s in group))
            docs.append(FeedbackDocument(comms[0] if len(comms) == 1 else root, emp, year, quarter,
                                         today or date.today(), group, masked))
        return docs

    def export_feedback(self, path: Path | str, year: int, quarter: int | None = None,
                        employer: str | None = None, masked: bool = True, today: date | None = None,
                        progress: Progress = no_progress, cancel: CancelToken | None = None) -> int:
        """反馈表 PDF: every employer's document, each starting on a new page; returns pages."""
        from ..exports.pdf.feedback import write_feedback

        docs = self.feedback(year, quarter, employer, masked, today)
        if not docs:
            raise NotFound(f"{period_text(year, quarter)}没有可反馈的报到党员或单位")
        return write_feedback(path, docs, progress=progress, cancel=cancel or CancelToken())

    def overview(self, year: int, quarter: int | None = None, masked: bool = True,
                 today: date | None = None) -> RegistrationOverview:
        """Every registration with the period's figures (the .xlsx overview for the street)."""
        with self.db.reading() as conn:
            regs, units = {r.ref: r for r in repo.members(conn)}, {u.ref: u for u in repo.units(conn)}
            names = {o.id: o.name for o in org_repo.all_organizations(conn)}
        rows = []
        for s in self.feedback_sheets(year, quarter, None, masked):
            if s.is_unit:
                u = units[s.ref]
                note = "；".join(x for x in (f"党员{u.members_count}人" if u.members_count else "",
                                            f"共建协议{u.agreement_period}" if u.agreement_period
                                            else "") if x)
                rows.append(OverviewRow(s, names.get(u.community_id, ""), note=note))
            else:
                r = regs[s.ref]
                rows.append(OverviewRow(s, names.get(r.community_id, ""), r.sex, r.posts_text,
                                        "已关联花名册" if r.member_id else ""))
        return RegistrationOverview(year, quarter, today or date.today(), rows, masked)

    def export_overview(self, path: Path | str, year: int, quarter: int | None = None,
                        masked: bool = True, today: date | None = None) -> Path:
        from ..exports.xlsx.registrations import write_registrations_xlsx

        return write_registrations_xlsx(path, self.overview(year, quarter, masked, today))

    def export_form(self, path: Path | str, ref: Ref, masked: bool = True,
                    today: date | None = None) -> int:
        """报到单 with its 回执 for the employer (a member's or a unit's); returns pages."""
        from ..exports.pdf.registration_form import write_registration_form

        with self.db.reading() as conn:
            reg = (repo.get_member(conn, ref.id) if ref.kind is RegistrantKind.MEMBER
                   else repo.get_unit(conn, ref.id))
            community = org_repo.get(conn, reg.community_id).name
        if masked and isinstance(reg, RegisteredMember):
            reg = replace(reg, id_number=mask_id_number(reg.id_number), phone=mask_phone(reg.phone),
                          employer_contact=mask_phone(reg.employer_contact))
        elif masked:
            reg = replace(reg, liaison_phone=mask_phone(reg.liaison_phone))
        return write_registration_form(path, reg, community, today or date.today(), masked)

    def participants_for(self, community_id: int) -> list[Participant]:
        """Everyone registered with the community, for the fast group entry (members first)."""
        with self.db.reading() as conn:
            regs = repo.members(conn, [community_id])
            units = repo.units(conn, [community_id])
        return ([Participant(r.ref, r.name) for r in sorted(regs, key=lambda r: pinyin_key(r.name))]
                + [Participant(u.ref, u.name) for u in sorted(units, key=lambda u: pinyin_key(u.name))])
