"""Every user-facing string, keyed; Vietnamese first, English available."""

from __future__ import annotations

from typing import Any

from spacrm.intents.texts.en import TEXTS as EN
from spacrm.intents.texts.vi import TEXTS as VI

_BY_LANG = {"vi": VI, "en": EN}


def t(lang: str, key: str, **params: Any) -> str:
    table = _BY_LANG.get(lang, VI)
    template = table.get(key) or VI.get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
