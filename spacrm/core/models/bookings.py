"""Bookings (#9): rooms and beds, technicians' skills, hours and days off, appointments, and the
commission a completed session earns.

Catalogue items (services) and users are referred to by id (the catalogue lives in catalog.py).
Times of day are minutes after local midnight: portable across SQLite and PostgreSQL and cheap
to compare in the slot search.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from spacrm.core.models.crm import Owned

APPOINTMENT_STATUSES = ("booked", "confirmed", "checked_in", "done", "no_show", "cancelled")
# Appointments that still hold their technician and room.
HOLDING_STATUSES = ("booked", "confirmed", "checked_in")


class Room(Model):
    """A room or a bed of a branch, capacity customers can be served in it at the same time."""

    id = fields.IntField(primary_key=True)
    branch_id = fields.IntField(db_index=True)
    name = fields.CharField(max_length=80)
    name_key = fields.CharField(max_length=80)
    capacity = fields.IntField(default=1)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "room"


class RoomService(Model):
    """A service a room allows. A room without rows allows every service."""

    id = fields.IntField(primary_key=True)
    room_id = fields.IntField(db_index=True)
    service_id = fields.IntField()

    class Meta:
        table = "room_service"
        unique_together = (("room_id", "service_id"),)


class TechnicianSkill(Model):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    service_id = fields.IntField(db_index=True)

    class Meta:
        table = "technician_skill"
        unique_together = (("user_id", "service_id"),)


class TechnicianShift(Model):
    """Working hours of a technician on a weekday (0 = Monday). A technician without rows works
    the branch's opening hours every day."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    weekday = fields.IntField()
    start_min = fields.IntField()
    end_min = fields.IntField()

    class Meta:
        table = "technician_shift"


class TechnicianDayOff(Model):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField()
    day = fields.DateField()
    reason = fields.CharField(max_length=200, default="")
    # A half day of leave blocks only that half (morning before noon, afternoon from noon).
    part = fields.CharField(
        max_length=10, default="full", db_default="full"
    )  # full | morning | afternoon

    class Meta:
        table = "technician_day_off"
        unique_together = (("user_id", "day"),)


class BranchHours(Model):
    """Opening hours of a branch on a weekday, a branch without rows uses the settings' hours.
    A weekday with open_min == close_min is closed."""

    id = fields.IntField(primary_key=True)
    branch_id = fields.IntField()
    weekday = fields.IntField()
    open_min = fields.IntField()
    close_min = fields.IntField()

    class Meta:
        table = "branch_hours"
        unique_together = (("branch_id", "weekday"),)


class ServiceBuffer(Model):
    """Minutes a technician and a room stay blocked after a session of this service (cleaning)."""

    id = fields.IntField(primary_key=True)
    service_id = fields.IntField(unique=True)
    minutes = fields.IntField()

    class Meta:
        table = "service_buffer"


class Appointment(Owned):
    """A booked session of a service with a technician in a room.

    Ownership columns are the customer's (sales keep seeing it), site_branch_id is where it
    happens (its front desk acts on it), and the technician sees their own."""

    id = fields.IntField(primary_key=True)
    site_branch_id = fields.IntField(db_index=True)
    lead_id = fields.IntField(null=True, db_index=True)
    customer_name = fields.CharField(max_length=200)
    customer_phone = fields.CharField(max_length=15, null=True)
    service_id = fields.IntField()
    service_name = fields.CharField(max_length=200)
    technician_id = fields.IntField(db_index=True)
    room_id = fields.IntField(db_index=True)
    starts_at = fields.DatetimeField(db_index=True)
    ends_at = fields.DatetimeField()
    # ends_at + the service's buffer: what the conflict check compares.
    busy_until = fields.DatetimeField()
    # starts_at and busy_until as epoch seconds: the slot search reads a day of appointments as
    # plain integers (parsing hundreds of datetimes per search was most of its time).
    start_s = fields.BigIntField()
    busy_s = fields.BigIntField()
    status = fields.CharField(max_length=12, default="booked", db_index=True)
    late_cancel = fields.BooleanField(default=False)
    course_id = fields.IntField(null=True, db_index=True)
    amount = fields.BigIntField(
        default=0
    )  # the session's service amount (course share or list price)
    note = fields.TextField(null=True)
    created_by_id = fields.IntField()
    checked_in_at = fields.DatetimeField(null=True)
    done_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "appointment"
        indexes = (
            ("technician_id", "start_s"),
            ("room_id", "start_s"),
            ("site_branch_id", "starts_at"),
        )


class Commission(Model):
    """What a technician earned for one completed session (DESIGN §8), payroll sums these."""

    id = fields.IntField(primary_key=True)
    appointment_id = fields.IntField(unique=True)  # a session is completed (and paid out) once
    technician_id = fields.IntField(db_index=True)
    site_branch_id = fields.IntField(db_index=True)
    course_id = fields.IntField(null=True)
    service_id = fields.IntField()
    base_amount = fields.BigIntField()
    commission_pct = fields.IntField()
    amount = fields.BigIntField()
    earned_on = fields.DateField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "commission"


class AppointmentReminder(Model):
    """One reminder of an appointment, `hours` before its start, claimed once by the unique row
    (so a restart or a second scheduler never sends it twice)."""

    id = fields.IntField(primary_key=True)
    appointment_id = fields.IntField()
    hours = fields.IntField()
    sent_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "appointment_reminder"
        unique_together = (("appointment_id", "hours"),)
