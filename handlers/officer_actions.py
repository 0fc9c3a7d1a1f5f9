"""The button actions of officers' conversations: approving officers (`of:`), deadlines
(`dl:`) and broadcasts (`bc:`). See `handlers.actions` for how actions are declared."""

from __future__ import annotations

from typing import Literal

from bot.actions import Action, Codec

# Officer rights: approving a request.
officer_rights = Codec("of")


class ApproveOfficer(Action, codec=officer_rights, tag="ok"):
    user: int


class RefuseOfficer(Action, codec=officer_rights, tag="no"):
    user: int


# Deadlines an officer publishes.
deadlines = Codec("dl")


class NewDeadline(Action, codec=deadlines, tag="new"):
    pass


class DeadlineScope(Action, codec=deadlines, tag="scope"):
    """The province it concerns (0: nationwide)."""

    province: int


class DeadlineGroup(Action, codec=deadlines, tag="grp"):
    """A product group: `all` or an index (`audience.group_choice`)."""

    choice: str


class NoLink(Action, codec=deadlines, tag="nolink"):
    pass


class PublishDeadline(Action, codec=deadlines, tag="go"):
    pass


class PublishDeadlineNationwide(Action, codec=deadlines, tag="go:all"):
    """A provincial officer confirms the whole country."""


class DeadlineHomeOnly(Action, codec=deadlines, tag="home"):
    """Keep it to the officer's province."""


class DiscardDeadline(Action, codec=deadlines, tag="discard"):
    pass


class EditDeadline(Action, codec=deadlines, tag="edit"):
    """Type the title or the date again at the review, then back to it."""

    field: Literal["title", "when"]


class MoveDeadline(Action, codec=deadlines, tag="move"):
    deadline: int


class CancelDeadline(Action, codec=deadlines, tag="cancel"):
    """Asks to confirm the withdrawal."""

    deadline: int


class ConfirmCancelDeadline(Action, codec=deadlines, tag="cancel:ok"):
    deadline: int


class KeepDeadline(Action, codec=deadlines, tag="keep"):
    """The withdrawal not confirmed: nothing changes."""

    deadline: int


class ManageDeadlines(Action, codec=deadlines, tag="list"):
    """The open deadlines to withdraw or move (`/huyhan`)."""


# Broadcasts an officer sends.
broadcasts = Codec("bc")


class NewBroadcast(Action, codec=broadcasts, tag="new"):
    pass


class ToggleRole(Action, codec=broadcasts, tag="role"):
    role: Literal["all", "producer", "tourist", "officer"]


class BroadcastWhere(Action, codec=broadcasts, tag="where"):
    """Nationwide (0) or the officer's province."""

    province: int


class AskBroadcastGroup(Action, codec=broadcasts, tag="grp"):
    pass


class BroadcastGroup(Action, codec=broadcasts, tag="grp"):
    """A product group: `all` or an index (`audience.group_choice`)."""

    choice: str


class ChangeAudience(Action, codec=broadcasts, tag="aud"):
    pass


class PreviewBroadcast(Action, codec=broadcasts, tag="preview"):
    pass


class SendBroadcast(Action, codec=broadcasts, tag="go"):
    pass


class SendBroadcastNationwide(Action, codec=broadcasts, tag="go:all"):
    """A provincial officer confirms the whole country."""


class BroadcastHomeOnly(Action, codec=broadcasts, tag="home"):
    """Keep it to the officer's province."""


class DiscardBroadcast(Action, codec=broadcasts, tag="discard"):
    pass


class BroadcastProgress(Action, codec=broadcasts, tag="stat"):
    broadcast: int


class StopBroadcast(Action, codec=broadcasts, tag="stop"):
    """Asks to confirm the stop (keeping it shows the progress)."""

    broadcast: int


class ConfirmStopBroadcast(Action, codec=broadcasts, tag="stop:ok"):
    broadcast: int
