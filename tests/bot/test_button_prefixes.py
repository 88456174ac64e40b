"""Every staff button prefix means one thing. Two areas once chose the same prefix ("ct:" for a
course's technician and for moving a course's sessions); a dict quietly keeps the later handler,
so one of the two buttons silently did the other's job. Checked on the source, where both show."""

from __future__ import annotations

import ast
from pathlib import Path

from spacrm.bot import kb_digest
from spacrm.bot.engine import _CASE_BUTTONS
from spacrm.intents.staff.buttons import HANDLERS

STAFF = Path(__file__).resolve().parents[2] / "spacrm" / "intents" / "staff"


def _dict_keys(path: Path) -> list[tuple[str, str]]:
    """(key, where) for every string key of a module-level dict of button handlers."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            name = target.id if isinstance(target, ast.Name) else "?"
            if not (name == "HANDLERS" or name.endswith("_BUTTONS")):
                continue
            for key in node.value.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    out.append((key.value, f"{path.name}:{name}"))
    return out


def test_each_prefix_is_registered_once() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for path in sorted(STAFF.glob("*.py")):
        for key, where in _dict_keys(path):
            if key in seen:
                clashes.append(f"{key!r}: {seen[key]} and {where}")
            seen[key] = where
    assert not clashes, clashes
    assert seen.keys() <= HANDLERS.keys()  # every table is wired into the engine's


def test_digest_buttons_do_not_shadow_staff_buttons() -> None:
    digest = {p.rstrip(":") for p in kb_digest.BUTTONS}
    assert not digest & HANDLERS.keys()
    assert set(_CASE_BUTTONS) <= HANDLERS.keys()
