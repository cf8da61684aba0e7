"""Flask-Login wiring: how a session's user is loaded and where sign-in lives."""

import hmac

from flask_babel import lazy_gettext as _l

from ..dbtypes import MAX_ID
from ..extensions import db, login_manager
from .models import User

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id `<id>.<session key>`; none once the password has changed."""
    user_id, _dot, key = (session_id or "").partition(".")
    if not user_id.isdigit() or int(user_id) > MAX_ID:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(key, user.session_key):
        return None
    return user
