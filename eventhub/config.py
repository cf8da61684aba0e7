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
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    # Where people reach EventHub; used for links in e-mails sent outside a web request.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    PRIVACY_NOTICE_VERSION = "2026-11"
    REGISTRATION_LIMIT_PER_EMAIL = os.environ.get("REGISTRATION_LIMIT_PER_EMAIL", "10 per hour")
    REGISTRATION_LIMIT_PER_IP = os.environ.get("REGISTRATION_LIMIT_PER_IP", "2000 per hour")
    # People's choice: a vote needs a checked-in manage link and counts once; these stop floods.
    VOTE_LIMIT_PER_TOKEN = os.environ.get("VOTE_LIMIT_PER_TOKEN", "30 per hour")
    VOTE_LIMIT_PER_IP = os.environ.get("VOTE_LIMIT_PER_IP", "3000 per hour")

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
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes")
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "600 per 15 minutes")

    # argon2id; the defaults cost ~125 ms a hash on these machines (performance.md).
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", "3"))
    ARGON2_MEMORY_COST = int(os.environ.get("ARGON2_MEMORY_COST", "65536"))
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))
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
    REGISTRATION_LIMIT_PER_EMAIL = "100000 per minute"
    REGISTRATION_LIMIT_PER_IP = "100000 per minute"
    VOTE_LIMIT_PER_TOKEN = "100000 per minute"
    VOTE_LIMIT_PER_IP = "100000 per minute"
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
