"""Account forms. Field rules live in accounts.services; these only collect and label input."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import Form

LANGUAGE_CHOICES = [SelectChoice("vi", "Tiếng Việt"), SelectChoice("en", "English")]


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Please enter your e-mail."))])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Please enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))


class SignupForm(Form):
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Please enter a name."))],
                            description=_l("Family, middle and given name, e.g. Nguyễn Thị Quý Trúc"))
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Please enter an e-mail address."))])
    phone = TelField(_l("Phone (optional)"), description=_l("e.g. 0912 345 678"))
    organization = StringField(_l("Organization (optional)"), validators=[Length(max=200)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Please choose a password.")),
        Length(min=8, message=_l("Use at least %(min)d characters."))])
    password_confirm = PasswordField(_l("Repeat the password"), validators=[
        EqualTo("password", message=_l("The two passwords are not the same."))])
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="vi")
    consent = BooleanField(_l("I agree to the processing of my personal data as described in the "
                              "notice above (Decree 13/2023/ND-CP)."))


class ProfileForm(Form):
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Please enter a name."))])
    phone = TelField(_l("Phone (optional)"))
    organization = StringField(_l("Organization (optional)"), validators=[Length(max=200)])
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Please enter your password."))])
    new_password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Please choose a password.")),
        Length(min=8, message=_l("Use at least %(min)d characters."))])
    new_password_confirm = PasswordField(_l("Repeat the new password"), validators=[
        EqualTo("new_password", message=_l("The two passwords are not the same."))])


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Please enter your e-mail."))])


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Please choose a password.")),
        Length(min=8, message=_l("Use at least %(min)d characters."))])
    password_confirm = PasswordField(_l("Repeat the new password"), validators=[
        EqualTo("password", message=_l("The two passwords are not the same."))])


class ChangeEmailForm(Form):
    email = EmailField(_l("New e-mail"), validators=[DataRequired(_l("Please enter an e-mail address."))])
    password = PasswordField(_l("Your password, to confirm"),
                             validators=[DataRequired(_l("Please enter your password."))])


class DeleteAccountForm(Form):
    password = PasswordField(_l("Your password, to confirm"),
                             validators=[DataRequired(_l("Please enter your password."))])
    confirm = BooleanField(_l("I understand that this cannot be undone."),
                           validators=[DataRequired(_l("Please tick the box to confirm."))])


ROLE_LABELS = {
    "organizer": _l("Organizer"),
    "staff": _l("Check-in staff"),
    "judge": _l("Judge"),
    "investor": _l("Investor"),
    "participant": _l("Participant"),
}
EVENT_ROLE_LABELS = {
    "organizer": _l("Organizer of this event"),
    "staff": _l("Check-in staff"),
}
