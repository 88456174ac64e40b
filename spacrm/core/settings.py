"""Typed settings from the environment (prefix SPACRM_). Fails fast on a bad value."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests and the CLI change the environment)."""
    get_settings.cache_clear()
