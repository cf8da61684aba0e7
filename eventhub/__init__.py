"""EventHub: the application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | type | dict | None = None) -> Flask:
    """Builds the app; it never migrates, seeds or calls the network."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("EVENTHUB_INSTANCE_PATH", str(ROOT / "instance")),
    )
    _configure(app, config)
    from .converters import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter
    _init_extensions(app)
    _register_blueprints(app)

    from . import cli, errors, inputguard, templating

    errors.register_error_handlers(app)
    inputguard.init_app(app)
    templating.init_app(app)
    cli.register(app)
    return app


def _configure(app: Flask, config) -> None:
    from .config import CONFIGS, DEFAULT_SECRET_KEY

    overrides = config if isinstance(config, dict) else {}
    if isinstance(config, dict):
        config = overrides.get("ENV_CONFIG")
    name = config if isinstance(config, str) else os.environ.get("EVENTHUB_CONFIG", "development")
    app.config.from_object(config if isinstance(config, type) else CONFIGS[name])
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'eventhub.db'}"
    if name == "production" and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise RuntimeError("Set SECRET_KEY: production refuses to run with the default key.")


def _init_extensions(app: Flask) -> None:
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale, select_timezone

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    from .extensions import release_session

    app.teardown_appcontext(release_session)  # runs before Flask-SQLAlchemy's (teardowns run in reverse)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)

    from .accounts import login  # noqa: F401  (registers the user loader)


def _register_blueprints(app: Flask) -> None:
    from .accounts.routes import bp as accounts_bp
    from .api import init_api
    from .checkin.routes import bp as checkin_bp
    from .documents.routes import bp as documents_bp
    from .events.routes import bp as events_bp
    from .health import bp as health_bp
    from .jobs.routes import bp as jobs_bp
    from .registration.admin_routes import bp as registration_admin_bp
    from .registration.routes import bp as registration_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(registration_admin_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(checkin_bp)
    app.register_blueprint(documents_bp)
    from .booths.admin_routes import bp as booths_admin_bp
    from .booths.routes import bp as booths_bp

    app.register_blueprint(booths_bp)
    app.register_blueprint(booths_admin_bp)
    from .reports.routes import bp as reports_bp

    app.register_blueprint(reports_bp)
    from .contests.routes import bp as contests_bp

    app.register_blueprint(contests_bp)
    from .certificates.public_routes import bp as certificates_public_bp
    from .certificates.routes import bp as certificates_bp

    app.register_blueprint(certificates_bp)
    app.register_blueprint(certificates_public_bp)
    from .matchmaking.admin_routes import bp as matchmaking_admin_bp
    from .matchmaking.routes import bp as matchmaking_bp

    app.register_blueprint(matchmaking_bp)
    app.register_blueprint(matchmaking_admin_bp)
    init_api(app)
