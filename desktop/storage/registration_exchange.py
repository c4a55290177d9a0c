"""The 双报到 tables in 上报包: registrations, units, lists, commitments, services, appraisals.

Kept apart from exchange_tables.py, which lists them after its own (registry()).
"""
from __future__ import annotations

from ..domain.registration import ItemStatus, ListKind, ServicePost
from ..domain.registration_feedback import Appraisal
from .exchange_tables import ExchangeTable as ET

REG_MEMBER_LABELS = {"community_id": "报到社区", "member_id": "花名册党员", "name": "姓名", "sex": "性别",
                     "phone": "联系电话", "id_number": "公民身份号码", "employer": "工作单位",
                     "employer_org": "所在党组织", "employer_contact": "党组织联系人",
                     "address": "家庭住址", "grid": "所在网格", "skills": "特长",
                     "posts": "服务岗位意向", "reported_on": "报到日期", "remarks": "备注"}
REG_UNIT_LABELS = {"community_id": "报到社区", "name": "单位名称", "party_org": "单位党组织",
                   "secretary": "党组织书记", "liaison": "联络员", "liaison_phone": "联络电话",
                   "members_count": "党员人数", "reported_on": "报到日期",
                   "agreement_parties": "协议各方", "agreement_start": "协议开始",
                   "agreement_end": "协议结束", "agreement_commitments": "共建事项",
                   "scan_file_name": "协议扫描件", "scan_path": "协议扫描件文件",
                   "scan_sha256": "校验值", "scan_size": "大小", "remarks": "备注"}
WHO = {"community_id": "社区", "reg_member_id": "报到党员", "reg_unit_id": "驻区单位"}
REG_ITEM_LABELS = {"community_id": "社区", "kind": "清单", "title": "事项", "detail": "内容",
                   "owner": "提出方", "status": "状态", "created_on": "登记日期"}
REG_CLAIM_LABELS = WHO | {"item_id": "清单事项", "claimed_on": "认领日期"}
REG_COMMITMENT_LABELS = WHO | {"year": "年度", "content": "承诺内容", "kept_on": "践诺日期",
                               "evidence": "践诺情况"}
REG_SERVICE_LABELS = {"community_id": "社区", "day": "服务日期", "activity": "活动内容",
                      "minutes": "时长（分钟）", "place": "地点", "post": "服务岗位",
                      "confirmed_by": "确认人", "photo_file_name": "照片", "photo_path": "照片文件",
                      "photo_sha256": "校验值", "photo_size": "大小"}
REG_PARTICIPANT_LABELS = WHO | {"service_id": "服务活动", "name": "姓名", "minutes": "时长（分钟）"}
REG_APPRAISAL_LABELS = WHO | {"year": "年度", "quarter": "季度", "grade": "评价", "comment": "评价意见"}
C = ("community_id", "organization")
REGISTRATION_TABLES = (
    ET("registration_member", "报到党员", C, ("name",), REG_MEMBER_LABELS),
    ET("registration_unit", "驻区单位", C, ("name",), REG_UNIT_LABELS, files=("scan_path",)),
    ET("registration_item", "清单事项", C, ("kind", "title"), REG_ITEM_LABELS,
       choices={"kind": ListKind, "status": ItemStatus}),
    ET("registration_claim", "认领", ("item_id", "registration_item"), ("item_id",),
       REG_CLAIM_LABELS, owned=True),
    ET("registration_commitment", "承诺", C, ("year", "content"), REG_COMMITMENT_LABELS),
    ET("registration_service", "服务记录", C, ("day", "activity"), REG_SERVICE_LABELS,
       files=("photo_path",), choices={"post": ServicePost}),
    ET("registration_participant", "服务参加人员", ("service_id", "registration_service"),
       ("service_id", "name"), REG_PARTICIPANT_LABELS, owned=True),
    ET("registration_appraisal", "反馈评价", C, ("year", "quarter"), REG_APPRAISAL_LABELS,
       choices={"grade": Appraisal}),
)
