"""Vietnamese understanding of staff messages (DESIGN §6): rule based, no network.

`parse` reads a whole message; the `parse_*` helpers read a one-field answer to a question the
bot asked ("khi nào?" -> "thứ 6 tuần sau 3h chiều").
"""

from spacrm.bot.nlu.dates import parse_date
from spacrm.bot.nlu.money import parse_money
from spacrm.bot.nlu.parser import parse
from spacrm.bot.nlu.periods import parse_period
from spacrm.bot.nlu.result import NluResult
from spacrm.bot.nlu.slots import parse_pay_method
from spacrm.bot.nlu.stages import parse_stage
from spacrm.bot.nlu.times import parse_time

__all__ = [
    "NluResult",
    "parse",
    "parse_date",
    "parse_money",
    "parse_pay_method",
    "parse_period",
    "parse_stage",
    "parse_time",
]
