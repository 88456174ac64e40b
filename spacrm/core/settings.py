"""Typed settings from the environment (prefix SPACRM_). Fails fast on a bad value."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPACRM_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""  # default: sqlite file under data_dir
    lang: str = "vi"
    public_base_url: str = "http://127.0.0.1:8000"

    telegram_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    telegram_webhook_url: str = ""
    telegram_webhook_secret: SecretStr | None = None

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: SecretStr | None = None
    smtp_from: str = "spacrm@localhost"
    smtp_starttls: bool = False

    taxcode_api_base: str = "https://api.vietqr.io"

    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str = ""
    gemini_timeout: float = 8.0

    facebook_app_secret: SecretStr | None = None
    facebook_verify_token: str = ""
    facebook_graph_base: str = "https://graph.facebook.com"
    facebook_api_version: str = "v25.0"
    zalo_app_secret: SecretStr | None = None
    zalo_openapi_base: str = "https://openapi.zalo.me"
    zalo_oauth_base: str = "https://oauth.zaloapp.com"
    zns_base: str = "https://business.openapi.zalo.me"

    # Messaging windows are policy that the providers change often: keep them configurable.
    facebook_window_hours: int = 24
    facebook_human_agent_days: int = 7
    zalo_window_hours: int = 48
    # Staff linking on the (public) Zalo OA: "command" = after /start (or /nhanvien, /staff),
    # "login" = also a message that is exactly a staff login or email, "off" = only accounts
    # already linked keep using the staff bot there.
    zalo_staff_linking: Literal["off", "command", "login"] = "command"

    # Sales (#9, #35, #37). Document prefixes: the number reads "<prefix><year>-<6 digits>".
    order_prefix: str = Field(default="HD", pattern=r"^[A-Z]{1,6}$")
    receipt_prefix: str = Field(default="PT", pattern=r"^[A-Z]{1,6}$")
    payment_prefix: str = Field(default="PC", pattern=r"^[A-Z]{1,6}$")
    # Who may sell below/above the list price: "managers" (team lead and up), "front_desk", "all".
    price_override: str = "managers,front_desk"
    # A service line with N sessions becomes a course when the order is "paid" or "confirmed".
    course_on: Literal["paid", "confirmed"] = "paid"
    # Payments (issue 8, area `pay`): the spa's receiving account for VietQR, and the bank-transfer
    # webhooks. An unset secret disables that way of authenticating; with none set the hook is off.
    spa_name: str = "Lotus Spa"  # printed at the top of bills
    bank_bin: str = ""
    bank_account: str = ""
    bank_account_name: str = ""
    sepay_api_key: SecretStr | None = None
    sepay_hmac_secret: SecretStr | None = None
    casso_checksum_key: SecretStr | None = None
    casso_secure_token: SecretStr | None = None
    bank_webhook_max_age: int = Field(default=300, ge=10)  # seconds a signed timestamp stays valid
    print_max_attempts: int = Field(default=3, ge=1)  # failed prints before the cashier is told

    link_code_minutes: int = Field(default=10, ge=1)
    link_code_tries: int = Field(default=5, ge=1)
    outbox_max_attempts: int = Field(default=12, ge=1)
    # How long the customer whose card was last on screen stays "chị ấy" / "khách này" (#6).
    focus_minutes: int = Field(default=15, ge=1)

    # --- runtime (serve): provider limits, the send pool, shutdown (0 = no limit) ---
    outbox_pool: int = Field(default=16, ge=1)
    telegram_max_per_second: float = Field(default=30.0, ge=0)
    telegram_chat_per_second: float = Field(default=1.0, ge=0)
    telegram_chat_burst: int = Field(default=3, ge=1)
    inbound_workers: int = Field(default=8, ge=1)
    shutdown_seconds: float = Field(default=4.0, ge=0)
    scheduler_seconds: float = Field(default=20.0, gt=0)
    # Bookings and stock (#9, #34). Opening hours of a branch without its own rows (HH:MM).
    booking_open: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    booking_close: str = Field(default="21:00", pattern=r"^\d{2}:\d{2}$")
    booking_step_minutes: int = Field(default=15, ge=5)  # the grid free slots are offered on
    booking_buffer_minutes: int = Field(default=10, ge=0)  # a service without its own buffer
    late_cancel_hours: int = Field(default=4, ge=0)  # a cancel this close to the start is late
    no_show_warn: int = Field(default=2, ge=1)  # warn when booking someone with this many no-shows
    course_other_branch: bool = True  # may a course bought in one branch be used in another
    course_expired_allowed: bool = False
    stock_allow_negative: bool = False
    # Hours before an appointment its technician and the branch's front desk are reminded.
    reminder_hours: str = Field(default="24,2", pattern=r"^\d+(,\d+)*$")
    # The customer is reminded too (#9), on the Zalo OA / Messenger conversation she wrote from
    # while its window is open; else by this approved ZNS template (its parameters: customer_name,
    # service, time, branch) when set; else the front desk is asked to call her.
    customer_reminders: bool = True
    zns_reminder_template: str = ""
    # Reports (#10): the morning summary to every manager linked on a chat, local time (HH:MM);
    # empty turns it off.
    morning_report_at: str = Field(default="07:30", pattern=r"^(\d{2}:\d{2})?$")
    # The weekly KPI image (last week, their scope) on Monday at this local time (empty: off),
    # to the linked users of these roles.
    weekly_kpi_at: str = Field(default="08:00", pattern=r"^(\d{2}:\d{2})?$")
    weekly_kpi_roles: str = Field(
        default="board,region,branch_director,team_lead", pattern=r"^[a-z_]+(,[a-z_]+)*$"
    )
    # Staff life (#12): leave, overtime and payroll (vietnam.md §4). Weekday numbers: Monday = 0.
    annual_leave_days: int = Field(default=12, ge=0)  # paid leave a year (BLLĐ art. 113)
    leave_past_days: int = Field(default=3, ge=0)  # how far back leave or overtime may be logged
    weekly_day_off: int = Field(default=6, ge=0, le=6)  # the weekly rest day (Sunday)
    overtime_max_hours: int = Field(default=12, ge=1, le=24)  # per entry (a day)
    payroll_standard_days: int = Field(default=26, ge=1, le=31)  # days a monthly base pays for
    payroll_hours_per_day: int = Field(default=8, ge=1, le=12)
    payroll_insurance: bool = False  # deduct the employee's compulsory insurance
    payroll_income_tax: bool = False  # withhold personal income tax
    # Abuse limits (issue 13 §10), at most N events per window, counted in the database (they
    # hold across processes and restarts). Link codes mailed: per login and per chat.
    limit_link_codes_per_login: int = Field(default=3, ge=1)
    limit_link_codes_per_chat: int = Field(default=3, ge=1)
    limit_link_codes_minutes: int = Field(default=10, ge=1)
    # The public website widget: messages per session and per address a minute, new leads
    # (phone numbers) per address an hour.
    limit_widget_per_session_minute: int = Field(default=20, ge=1)
    limit_widget_per_address_minute: int = Field(default=60, ge=1)
    limit_widget_leads_per_address_hour: int = Field(default=3, ge=1)
    # Console sign-in tries per login.
    limit_signin_per_login: int = Field(default=5, ge=1)
    limit_signin_minutes: int = Field(default=15, ge=1)
    # Bookings (#9): the day digest (local HH:MM, empty turns it off) to each technician linked on a
    # staff chat (their own appointments of the day) and to each front desk (the branch's day).
    day_digest_at: str = Field(default="07:30", pattern=r"^(\d{2}:\d{2})?$")

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, value: str) -> str:
        if value not in ("vi", "en"):
            raise ValueError("SPACRM_LANG must be vi or en")
        return value

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite://{self.data_dir / 'spacrm.sqlite3'}"


# Values an admin saved in the console (stored in the database, core/services/config.py): they win
# over the environment, which stays the default. Loaded at start-up and after every change.
_stored: dict[str, Any] = {}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    settings = Settings()
    return settings.model_copy(update=_stored) if _stored else settings


def use_stored(values: dict[str, Any]) -> None:
    """Replace the stored values (already validated) laid over the environment's settings."""
    _stored.clear()
    _stored.update(values)
    get_settings.cache_clear()


def reset_settings() -> None:
    """Forget the cached settings (tests and the CLI change the environment)."""
    get_settings.cache_clear()
