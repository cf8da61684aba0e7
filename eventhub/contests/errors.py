"""The contest refusals that api.md names."""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict, EventHubError, Forbidden, ValidationError


class SubmissionClosed(Forbidden):
    code = "submission_closed"
    default_message = _l("Submissions for this contest are closed.")


class JudgingClosed(Forbidden):
    code = "judging_closed"
    default_message = _l("Judging for this round is closed.")


class NotAssigned(Forbidden):
    code = "not_assigned"
    default_message = _l("This entry is not assigned to you.")


class Conflicted(Forbidden):
    code = "conflict_of_interest"
    default_message = _l("You have a conflict of interest with this entry.")


class ResultsNotPublished(Forbidden):
    code = "results_not_published"
    default_message = _l("The results are not published yet.")


class ScoringStarted(Conflict):
    code = "scoring_started"
    default_message = _l("Judges have started scoring this round; adjust the assignment by hand.")


class RubricPublished(Conflict):
    code = "rubric_published"
    default_message = _l("The results of this contest are published: unpublish them before changing a "
                         "criterion's key, weight or maximum score, or adding or removing criteria.")


class RescoringNeedsConfirmation(Conflict):
    """The settings page asks first: this many score sheets would go back to their judges."""

    code = "rescoring_needs_confirmation"
    default_message = _l("This change sends score sheets back to their judges for re-scoring.")

    def __init__(self, sheets: int):
        super().__init__()
        self.sheets = sheets


class ConflictLocked(Conflict):
    code = "conflict_locked"
    default_message = _l("An organizer has locked this conflict of interest.")


class AlreadyVoted(Conflict):
    code = "already_voted"
    default_message = _l("You have already voted in this contest.")


class AssignmentInfeasibleError(ValidationError):
    code = "assignment_infeasible"
    default_message = _l("No assignment meets the rules.")

    def __init__(self, message: str):
        super().__init__({}, message)


class DeckUnavailable(Conflict):
    code = "deck_unavailable"
    default_message = _l("This pitch deck cannot be prepared for blind judging; please ask the organizers.")


class TooLarge(EventHubError):
    status = 413
    code = "too_large"
    default_message = _l("The upload is too large.")


class NotPairwise(Conflict):
    code = "not_pairwise"
    default_message = _l("This contest is not judged by comparing entries on the floor.")


class PairwiseContest(ValidationError):
    """Assigning judges to entries means nothing in a round judged on the floor."""

    code = "pairwise_contest"
    default_message = _l("Judges of this round walk the floor and compare entries two at a time: there is "
                         "nothing to assign.")

    def __init__(self):
        super().__init__({})


class NothingToUndo(Conflict):
    code = "nothing_to_undo"
    default_message = _l("There is no vote to undo.")


class UndoExpired(Conflict):
    code = "undo_expired"
    default_message = _l("A vote can only be undone within a minute.")


class ScoringLocked(Conflict):
    """Votes on the floor and rubric score sheets are two ways of judging: neither carries over."""

    code = "scoring_locked"
    default_message = _l("Judging has started (votes or score sheets exist): this contest can no longer "
                         "switch between comparing entries on the floor and scoring them with a rubric.")
