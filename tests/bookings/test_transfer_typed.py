"""A course's sessions moved by a typed message (#9) and by `spacrm courses transfer`: the same
service and rule as the "↪️ Chuyển buổi" button; an unknown or ambiguous customer is asked about,
never guessed."""

from __future__ import annotations

import json
import os

from spacrm.core.models import Course
from spacrm.intents import format as fmt
from tests.adapters.cli.test_cli import run
from tests.bookings.conftest import Spa
from tests.bookings.desk import Desk


async def _left(course: Course) -> int:
    return (await Course.get(id=course.id)).sessions_left


async def test_typed_transfer_with_phones_and_a_service(spa: Spa) -> None:
    lan, mai = await spa.lead("Lan"), await spa.lead("Mai")
    laser = await spa.course(lan, spa.laser, sessions=10, sessions_used=2)
    facial = await spa.course(lan, spa.facial, sessions=5)
    boss = Desk(spa.director)
    await boss.says(f"chuyển 2 buổi triệt lông của {lan.phone} sang {mai.phone}",
                    "Đã chuyển 2 buổi", f"từ {lan.name} sang {mai.name}", "còn 6/8 buổi")  # fmt: skip
    assert await _left(laser) == 6 and await _left(facial) == 5
    got = await Course.get(lead_id=mai.id)
    assert (got.sessions_total, got.service_id) == (2, spa.laser.id)


async def test_ambiguous_giver_is_asked_then_the_right_one_gives(spa: Spa) -> None:
    lan, other, mai = await spa.lead("Lan"), await spa.lead("Lan"), await spa.lead("Mai")
    course = await spa.course(lan, spa.laser, sessions=4)
    boss = Desk(spa.director)
    await boss.says(f"chuyển 1 buổi của chị Lan sang {mai.phone}", "Có nhiều khách khớp")
    assert await _left(course) == 4  # nothing done while it is not certain
    assert any(fmt.phone(other.phone) in b.text for b in boss.buttons)
    await boss.press(fmt.phone(lan.phone), "Đã chuyển 1 buổi", f"sang {mai.name}")
    assert await _left(course) == 3


async def test_unknown_receiver_and_front_desk_change_nothing(spa: Spa) -> None:
    lan, mai = await spa.lead("Lan"), await spa.lead("Mai")
    course = await spa.course(lan, spa.laser, sessions=4)
    boss = Desk(spa.director)
    await boss.says(f"chuyển 1 buổi của {lan.phone} sang chị Xuyến Quỳnh Zy",
                    "không tìm thấy khách")  # fmt: skip
    await Desk(spa.desk).says(f"chuyển 1 buổi của {lan.phone} sang {mai.phone}",
                              "không có quyền")  # fmt: skip
    assert await _left(course) == 4 and not await Course.filter(lead_id=mai.id).exists()
    # No receiver written: asked, then the answer finishes it.
    await boss.says(f"chuyển 2 buổi của {lan.phone}", "sang khách nào")
    await boss.says(str(mai.phone), "Đã chuyển 2 buổi")
    assert await _left(course) == 2


async def test_several_courses_offered_then_how_many(spa: Spa) -> None:
    lan, mai = await spa.lead("Lan"), await spa.lead("Mai")
    await spa.course(lan, spa.laser, sessions=4)
    facial = await spa.course(lan, spa.facial, sessions=6, sessions_used=1)
    boss = Desk(spa.director)
    await boss.says(f"chuyển buổi của {lan.phone} sang {mai.phone}", "nhiều liệu trình")
    await boss.press(spa.facial.name, "Chuyển bao nhiêu buổi")
    await boss.press("Tất cả 5 buổi", "Đã chuyển 5 buổi")
    assert (await Course.get(id=facial.id)).status == "finished"


async def test_courses_cli(spa: Spa) -> None:
    lan, mai = await spa.lead("Lan"), await spa.lead("Mai")
    laser = await spa.course(lan, spa.laser, sessions=10, sessions_used=2)
    await spa.course(lan, spa.facial, sessions=5)
    env = dict(os.environ)  # the test database (tests/conftest.py sets SPACRM_DATABASE_URL)
    out = run(env, "courses", "transfer", "--from", str(lan.phone), "--to", str(mai.phone))
    assert out.returncode == 2 and "choose with --course" in out.stderr, out.stderr
    out = run(env, "courses", "transfer", "--from", str(lan.phone), "--to", str(mai.phone),
              "--course", str(laser.id), "--sessions", "3", "--user", spa.desk.login)  # fmt: skip
    assert out.returncode == 2 and "không có quyền" in out.stderr and "Traceback" not in out.stderr
    out = run(env, "courses", "transfer", "--from", str(lan.phone), "--to", str(mai.phone),
              "--service", "triệt lông", "--sessions", "3", "--user", spa.director.login)  # fmt: skip
    assert out.returncode == 0 and "Đã chuyển 3 buổi" in out.stdout, out.stderr
    assert await _left(laser) == 5
    listed = run(env, "courses", "list", str(mai.phone), "--json")
    assert [(r["left"], r["total"]) for r in json.loads(listed.stdout)] == [(3, 3)], listed.stderr
