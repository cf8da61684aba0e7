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
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        # Behind nginx every request comes from the proxy: the client's address, which the log-in and
        # registration limits are keyed on, is the one the proxies (and only they) put in X-Forwarded-For.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app


def _configure(app: Flask, config) -> None:
    from . import deployment
    from .config import CONFIGS

    overrides = config if isinstance(config, dict) else {}
    if isinstance(config, dict):
        config = overrides.get("ENV_CONFIG")
    if not isinstance(config, type):
        # Unset means production: `gunicorn wsgi:app` sets nothing, and a server must never run in
        # debug mode or with the public default key by omission. Development is chosen explicitly.
        name = config if isinstance(config, str) else os.environ.get("EVENTHUB_CONFIG") or "production"
        if name.strip().lower() not in CONFIGS:
            raise deployment.UnsafeSettings(
                f"EVENTHUB_CONFIG={name!r} is not one of: {', '.join(CONFIGS)}.")
        config = CONFIGS[name.strip().lower()]
    app.config.from_object(config)
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'eventhub.db'}"
    deployment.check(app.config, config)


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
    from .ratelimits import storage_options

    app.config["RATELIMIT_STORAGE_OPTIONS"] = storage_options(app.config)  # a short timeout for Redis
    limiter.init_app(app)
    login_manager.init_app(app)

    from .accounts import login  # noqa: F401  (registers the user loader)


def _register_blueprints(app: Flask) -> None:
    from .accounts import address_routes, routes  # noqa: F401  (they attach their routes to the blueprint)
    from .accounts.blueprint import bp as accounts_bp
    from .api import init_api
    from .badges.routes import bp as badges_bp
    from .checkin.routes import bp as checkin_bp
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
    app.register_blueprint(badges_bp)
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
    from .messaging import delivery, unsubscribe_routes  # noqa: F401  (the e-mail builder, /unsubscribe)
    from .messaging import routes as messaging_routes  # noqa: F401  (attaches the organizers' pages to bp)
    from .messaging.blueprint import bp as messaging_bp

    app.register_blueprint(messaging_bp)
    from .programmes.routes import bp as programmes_bp

    app.register_blueprint(programmes_bp)
    from .surveys.routes import bp as surveys_bp

    app.register_blueprint(surveys_bp)
    from .followups.routes import bp as followups_bp

    app.register_blueprint(followups_bp)
    from .organizations.routes import bp as organizations_bp

    app.register_blueprint(organizations_bp)
    init_api(app)
    _plug_in_features(app)


def _plug_in_features(app: Flask) -> None:
    """Each feature adds its panels, menu links and personal data to the hooks, lowest layer first."""
    from . import hooks
    from .accounts import plugs as accounts
    from .badges import plugs as badges
    from .booths import plugs as booths
    from .certificates import plugs as certificates
    from .checkin import plugs as checkin
    from .contests import plugs as contests
    from .events import plugs as events
    from .followups import plugs as followups
    from .jobs import plugs as jobs
    from .matchmaking import plugs as matchmaking
    from .messaging import plugs as messaging
    from .organizations import plugs as organizations
    from .programmes import plugs as programmes
    from .registration import plugs as registration
    from .reports import plugs as reports
    from .surveys import plugs as surveys

    hooks.install(app, [accounts, events, organizations, jobs, registration, checkin, contests, booths,
                        matchmaking, certificates, badges, reports, programmes, messaging, surveys,
                        followups])
