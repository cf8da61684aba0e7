"""The refusals of organizations' services, with the stable codes api.md's clients read."""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict, NotFound


class OrganizationNotFound(NotFound):
    code = "organization_not_found"
    default_message = _l("No organization has this id.")


class MergeIntoItself(Conflict):
    code = "merge_into_itself"
    default_message = _l("An organization cannot be merged into itself.")


class OrganizationMerged(Conflict):
    code = "organization_merged"
    default_message = _l("This organization has already been merged into another one.")


class SameOrganization(Conflict):
    code = "same_organization"
    default_message = _l("An organization cannot be marked as different from itself.")


class TaxCodeTaken(Conflict):
    code = "tax_code_taken"
    default_message = _l("Another organization has this tax code.")


class NameTaken(Conflict):
    code = "organization_name_taken"
    default_message = _l("Another organization without a tax code has this name: merge the two instead.")
