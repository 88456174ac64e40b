"""Row locks that serialise competing writers (bookings, stock) on both databases.

PostgreSQL: SELECT … FOR UPDATE on the row, held until the transaction ends. SQLite has no row
locks and ignores FOR UPDATE; there a transaction that reads first and writes later fails with
"database is locked" when another process wrote in between. So on SQLite the first statement is a
no-op write, which takes the database's write lock up front (waiting `busy_timeout` for others).
"""

from __future__ import annotations

from tortoise import connections
from tortoise.expressions import F

from spacrm.core.models import Appointment, Branch, User, Warehouse


def _sqlite() -> bool:
    return str(connections.get("default").capabilities.dialect) == "sqlite"


async def lock_branch(branch_id: int) -> None:
    if _sqlite():
        await Branch.filter(id=branch_id).update(region_id=F("region_id"))
    else:
        await Branch.filter(id=branch_id).select_for_update().first()


async def lock_user(user_id: int) -> None:
    if not _sqlite():  # the branch lock already holds the whole database on SQLite
        await User.filter(id=user_id).select_for_update().first()


async def lock_warehouse(warehouse_id: int) -> None:
    if _sqlite():
        await Warehouse.filter(id=warehouse_id).update(branch_id=F("branch_id"))
    else:
        await Warehouse.filter(id=warehouse_id).select_for_update().first()


async def lock_appointment(appointment_id: int) -> None:
    if _sqlite():
        await Appointment.filter(id=appointment_id).update(version=F("version"))
    else:
        await Appointment.filter(id=appointment_id).select_for_update().first()
