"""FH-Intranet: the intranet of a local Netzwerk Frühe Hilfen."""
import logging
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    config = dict(config or {})
    instance_path = Path(
        config.pop("INSTANCE_PATH", None) or os.environ.get("INSTANCE_PATH") or PROJECT_ROOT / "instance"
    )
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(config_module.from_environment(instance_path, overrides=config))
    app.config.update(config)
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(levelname)s %(name)s: %(message)s")

    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    from . import compression, db, errors, log_privacy, security, static_files, templating, web
    from .extensions import babel, csrf, login_manager
    from .i18n import install_domain, install_template_gettext, select_locale

    security.install_converters(app)
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_domain(app, babel)
    install_template_gettext(app)
    login_manager.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    templating.init_app(app)
    web.init_app(app)
    compression.init_app(app)
    errors.init_app(app)
    log_privacy.init_app(app)

    from .auth import login_session

    login_session.init_app(app)

    from .accessibility.views import bp as accessibility_bp
    from .account.views import bp as account_bp
    from .agreements.views import bp as agreements_bp
    from .auth.views import bp as auth_bp
    from .history.views import bp as history_bp
    from .main.views import bp as main_bp
    from .meetings.bodies_views import bp as bodies_bp
    from .meetings.registers_views import bp as registers_bp
    from .meetings.views import bp as meetings_bp
    from .notifications.views import bp as notifications_bp
    from .offerings.directory_views import bp as directory_bp
    from .offerings.views import bp as offerings_bp
    from .people.organisation_views import bp as organisations_bp
    from .people.views import bp as people_bp
    from .register.views import bp as register_bp
    from .report.views import bp as report_bp
    from .search.views import bp as search_bp
    from .topics.round_views import bp as voting_bp
    from .topics.topic_views import bp as topics_bp
    from .workshops.views import bp as workshops_bp

    for blueprint in (main_bp, auth_bp, account_bp, people_bp, organisations_bp, register_bp, report_bp, agreements_bp,
                      bodies_bp, meetings_bp, registers_bp, topics_bp, voting_bp,
                      workshops_bp, notifications_bp, accessibility_bp, search_bp, history_bp, offerings_bp,
                      directory_bp):
        app.register_blueprint(blueprint)

    from . import topics

    topics.init_app(app)

    from . import cli

    cli.init_app(app)
    return app
