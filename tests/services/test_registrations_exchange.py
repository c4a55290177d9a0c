"""双报到 records travel in a 上报包 from a community up to the street, files included."""
from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.registration import (Commitment, ListItem, ListKind, Participant,
                                         RegisteredMember, ResidentUnit, ServicePost,
                                         ServiceRecord)
from desktop.domain.registration_feedback import Appraisal, AppraisalRecord
from desktop.storage import exchange_tables as xt
from tests.services.test_exchange import world  # noqa: F401  (fixture)

def test_registrations_go_up_to_the_street(world):  # noqa: F811
    c = world.comm["c1"]
    rs, cid = c["ws"].registrations, c["org"].id
    a = rs.register(RegisteredMember(cid, "王五", "供电", phone="139", reported_on=date(2026, 1, 1),
                                     member_id=c["members"][0], posts=[ServicePost.LEGAL]),
                    date(2026, 11, 1))
    u = rs.save_unit(ResidentUnit(cid, "供电所", reported_on=date(2026, 1, 1)), date(2026, 11, 1),
                     scan=("x.pdf", b"scan"))
    u2 = rs.save_unit(ResidentUnit(cid, "派出所", reported_on=date(2026, 1, 1)), date(2026, 11, 1))
    it = rs.save_item(ListItem(cid, ListKind.NEED, "助餐"))
    rs.claim(it.id, a.ref)
    rs.claim(it.id, u.ref)
    rs.save_commitment(Commitment(a.ref, 2026, "巡逻"))
    rs.record_service(ServiceRecord(cid, date(2026, 3, 1), "巡逻", 2, confirmed_by="干事",
                                    participants=[Participant(a.ref), Participant(u2.ref)]), date(2026, 11, 1))
    rs.set_appraisal(AppraisalRecord(a.ref, 2026, 0, Appraisal.GOOD, "好"))
    world.send_up("c1", name="up2")
    st = world.street.registrations
    assert {r.name for r in st.members()} == {"幸福甲一"}
    assert st.members()[0].member_id is not None
    units = {u.name: u for u in st.units()}
    assert units["供电所"].scan and st.file_path(units["供电所"].scan).read_bytes() == b"scan"
    assert units["派出所"].scan is None
    assert st.items()[0].claimed_by == "幸福甲一、供电所"
    assert len(st.services(2026)[0].participants) == 2
    assert st.feedback(2026, employer="供电")[0].sheets[0].appraisal is Appraisal.GOOD
    assert st.members()[0].posts == [ServicePost.LEGAL]
    # Sent again: nothing doubles.
    world.send_up("c1", name="up3")
    assert len(st.services(2026)) == 1
