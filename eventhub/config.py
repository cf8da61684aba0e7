"""Configuration classes; every setting can come from the environment."""

import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name.
    if url and url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    TICKET_KEY = os.environ.get("TICKET_KEY")  # derived from SECRET_KEY when unset
    SQLALCHEMY_DATABASE_URI = _database_url()  # None: SQLite file under instance/
    # No pool_pre_ping: a round trip per request; extensions.py pings connections left idle instead.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    REDIS_URL = os.environ.get("REDIS_URL")
    # Where people reach EventHub; used for links in e-mails sent outside a web request.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    PRIVACY_NOTICE_VERSION = "2026-11"
    REGISTRATION_LIMIT_PER_EMAIL = os.environ.get("REGISTRATION_LIMIT_PER_EMAIL", "10 per hour")
    # Anonymous registrations from one client address (page and API): a family or a small office
    # registers a handful at once; one client cannot take a type's 30 seats in seconds (docs/security.md).
    # A venue or campus behind one NAT goes in RATELIMIT_TRUSTED_NETWORKS instead.
    REGISTRATION_LIMIT_PER_IP = os.environ.get("REGISTRATION_LIMIT_PER_IP", "5 per minute;20 per hour")
    # Comma-separated CIDRs (IPv4 and IPv6) whose addresses have no per-IP registration limit.
    RATELIMIT_TRUSTED_NETWORKS = os.environ.get("RATELIMIT_TRUSTED_NETWORKS", "")
    # "Lost your link?": per address so nobody can mail-bomb someone, per client for the flood.
    RESEND_LIMIT_PER_EMAIL = os.environ.get("RESEND_LIMIT_PER_EMAIL", "3 per hour;10 per day")
    RESEND_LIMIT_PER_IP = os.environ.get("RESEND_LIMIT_PER_IP", "20 per hour")
    # confirm_email types: how long a new registration holds its seat waiting for the e-mailed link.
    EMAIL_HOLD_MINUTES = int(os.environ.get("EMAIL_HOLD_MINUTES", "30"))
    # People's choice: a vote needs a checked-in manage link and counts once; these stop floods.
    VOTE_LIMIT_PER_TOKEN = os.environ.get("VOTE_LIMIT_PER_TOKEN", "30 per hour")
    VOTE_LIMIT_PER_IP = os.environ.get("VOTE_LIMIT_PER_IP", "3000 per hour")
    # Confirmation links an account has e-mailed (sent again, change of address), per account: each one
    # goes to an address the account names.
    ACCOUNT_MAIL_LIMIT = os.environ.get("ACCOUNT_MAIL_LIMIT", "5 per hour")

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = "../translations"
    LANGUAGES = ("vi", "en")

    # Generated files and uploads; a folder all app servers and workers share.
    FILE_STORAGE_DIR = os.environ.get("FILE_STORAGE_DIR")  # None: instance/files
    # S3-compatible object storage instead of a folder (credentials: the usual AWS_* variables).
    FILE_STORAGE_S3_BUCKET = os.environ.get("FILE_STORAGE_S3_BUCKET")
    FILE_STORAGE_S3_ENDPOINT = os.environ.get("FILE_STORAGE_S3_ENDPOINT")
    FILE_STORAGE_S3_REGION = os.environ.get("FILE_STORAGE_S3_REGION", "us-east-1")
    JOBS_EAGER = _bool("JOBS_EAGER", False)  # run jobs at once, in the request (tests)
    # Certificates are rendered in a child process within these limits (certificates/isolation.py,
    # docs/security.md): address space, CPU seconds for a render plus per certificate of a batch, and
    # wall-clock seconds (plus three times the per-certificate seconds of a batch) before it is killed.
    CERTIFICATE_RENDER_MEMORY_MB = int(os.environ.get("CERTIFICATE_RENDER_MEMORY_MB", "1024"))
    CERTIFICATE_RENDER_CPU_SECONDS = int(os.environ.get("CERTIFICATE_RENDER_CPU_SECONDS", "5"))
    CERTIFICATE_RENDER_SECONDS_EACH = float(os.environ.get("CERTIFICATE_RENDER_SECONDS_EACH", "1"))
    CERTIFICATE_RENDER_TIMEOUT = float(os.environ.get("CERTIFICATE_RENDER_TIMEOUT", "20"))
    JOBS_THREADS = int(os.environ.get("JOBS_THREADS", "1"))  # in-process runner without Redis
    # Processes that render one bulk PDF's chunks at once (badges, certificates): one per core.
    DOCUMENT_PROCESSES = int(os.environ.get("DOCUMENT_PROCESSES", str(min(os.cpu_count() or 1, 2))))

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "EventHub <no-reply@eventhub.localhost>"
    )
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR")  # None: instance/outbox
    # "background": a thread in each web process delivers after each commit; "worker": web processes
    # only queue and `flask mail deliver --loop` sends; "eager": at once, in the committing thread.
    MAIL_DELIVERY = os.environ.get("MAIL_DELIVERY", "background")

    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get(
        "REDIS_URL", "memory://"
    )
    RATELIMIT_HEADERS_ENABLED = True
    # Seconds a Redis rate-limit store may take per command before sign-in goes on without it (a hung
    # Redis then costs a sign-in this long, not redis-py's 5 s per command); ratelimits.storage_options.
    RATELIMIT_STORAGE_TIMEOUT = float(os.environ.get("RATELIMIT_STORAGE_TIMEOUT", "0.5"))
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes")
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "600 per 15 minutes")
    # Sign-in (page and API token alike) counts failed attempts only, in one budget (accounts/throttle.py,
    # docs/security.md): per account and client address the guesser's address is refused, the owner's not;
    # per address for one address trying many accounts (a venue shares one: failures only, so generous);
    # per account from all addresses: past it, addresses the account never signed in from get one
    # attempt per LOGIN_ACCOUNT_SLOWDOWN for the whole account, known ones are not slowed.
    LOGIN_FAILURES_PER_ACCOUNT_AND_IP = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT_AND_IP",
                                                       "10 per 15 minutes")
    LOGIN_FAILURES_PER_IP = os.environ.get("LOGIN_FAILURES_PER_IP", "300 per 15 minutes")
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "50 per hour")
    LOGIN_ACCOUNT_SLOWDOWN = os.environ.get("LOGIN_ACCOUNT_SLOWDOWN", "1 per minute")
    LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("LOGIN_KNOWN_ADDRESS_DAYS", "30"))
    # How many proxies (nginx, Caddy) stand in front: their X-Forwarded-For/-Proto are then believed, so
    # limits see each client's address rather than the proxy's. 0: the headers are ignored (spoofable).
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))

    # argon2id; the defaults cost ~125 ms a hash on these machines (performance.md).
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", "3"))
    ARGON2_MEMORY_COST = int(os.environ.get("ARGON2_MEMORY_COST", "65536"))
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))
    EMAIL_VERIFY_MAX_AGE = int(os.environ.get("EMAIL_VERIFY_MAX_AGE", str(3 * 24 * 3600)))  # seconds
    API_TOKEN_LIFETIME = timedelta(days=int(os.environ.get("API_TOKEN_DAYS", "30")))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a form left open all morning at a gate must still submit
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024

    API_TITLE = "EventHub API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    WTF_CSRF_ENABLED = False
    # Limits stay on, far above what tests send, so a test can tighten them through the config.
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_LIMIT_PER_ACCOUNT = "100000 per minute"
    LOGIN_LIMIT_PER_IP = "100000 per minute"
    LOGIN_FAILURES_PER_ACCOUNT_AND_IP = "100000 per minute"
    LOGIN_FAILURES_PER_IP = "100000 per minute"
    LOGIN_FAILURES_PER_ACCOUNT = "100000 per minute"
    LOGIN_ACCOUNT_SLOWDOWN = "100000 per minute"
    REGISTRATION_LIMIT_PER_EMAIL = "100000 per minute"
    REGISTRATION_LIMIT_PER_IP = "100000 per minute"
    RESEND_LIMIT_PER_EMAIL = "100000 per minute"
    RESEND_LIMIT_PER_IP = "100000 per minute"
    VOTE_LIMIT_PER_TOKEN = "100000 per minute"
    VOTE_LIMIT_PER_IP = "100000 per minute"
    ACCOUNT_MAIL_LIMIT = "100000 per minute"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    MAIL_SERVER = None
    MAIL_DELIVERY = "eager"
    JOBS_EAGER = True
    BASE_URL = "http://localhost"
    DOCUMENT_PROCESSES = 1  # the parallel path has a test of its own
    SERVER_NAME = None


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
