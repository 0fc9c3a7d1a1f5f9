"""Every button action the handlers send, by conversation: the bot's wire vocabulary in one file.

Each block is one conversation's `Codec` (its prefix) and its actions; a handler builds a
button with `Button(label, SomeAction(...).encode())` and its `on_action` gets the decoded
action. The strings are those sent before actions were typed, so old buttons keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.actions import Action, Codec

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = ("vi", "en")
Role = Literal["producer", "tourist", "officer"]
ROLES: tuple[Role, ...] = ("producer", "tourist", "officer")

# Onboarding: who the user is, their language, their province.
onboarding = Codec("ob")


@onboarding.action("start")
@dataclass(frozen=True, slots=True)
class StartOnboarding(Action):
    """Greet and ask who the user is (or confirm the profile of someone known)."""


@onboarding.action("edit")
@dataclass(frozen=True, slots=True)
class EditProfile(Action):
    """Change the role or the province."""

    what: Literal["role", "province"]


@onboarding.action("role")
@dataclass(frozen=True, slots=True)
class ChooseRole(Action):
    role: Role


@onboarding.action("lang")
@dataclass(frozen=True, slots=True)
class ChooseLanguage(Action):
    """The language step of onboarding."""

    code: Language


@onboarding.action("first")
@dataclass(frozen=True, slots=True)
class FirstLanguage(Action):
    """The language, chosen on the first screen."""

    code: Language


@onboarding.action("prov")
@dataclass(frozen=True, slots=True)
class ChooseProvince(Action):
    code: int


@onboarding.action("page")
@dataclass(frozen=True, slots=True)
class ProvincePage(Action):
    page: int


@onboarding.action("skip")
@dataclass(frozen=True, slots=True)
class SkipProvince(Action):
    pass


# Menu: the main menu, help, profile, language.
menu = Codec("m")


@menu.action("menu")
@dataclass(frozen=True, slots=True)
class ShowMenu(Action):
    pass


@menu.action("help")
@dataclass(frozen=True, slots=True)
class ShowHelp(Action):
    pass


@menu.action("profile")
@dataclass(frozen=True, slots=True)
class ShowProfile(Action):
    pass


@menu.action("lang")
@dataclass(frozen=True, slots=True)
class AskLanguage(Action):
    pass


@menu.action("lang")
@dataclass(frozen=True, slots=True)
class SetLanguage(Action):
    code: Language


# Consent: the privacy notice's two answers.
consent = Codec("cs")


@consent.action("yes")
@dataclass(frozen=True, slots=True)
class Agree(Action):
    version: str


@consent.action("no")
@dataclass(frozen=True, slots=True)
class Decline(Action):
    version: str


@consent.action("start")
@dataclass(frozen=True, slots=True)
class AskConsent(Action):
    """Show the notice again (after an erasure)."""


# Privacy: the notice, a copy of one's data, erasure.
privacy = Codec("pv")


@privacy.action("notice")
@dataclass(frozen=True, slots=True)
class PrivacyNotice(Action):
    pass


@privacy.action("mydata")
@dataclass(frozen=True, slots=True)
class MyData(Action):
    pass


@privacy.action("delete")
@dataclass(frozen=True, slots=True)
class AskErase(Action):
    pass


@privacy.action("del")
@dataclass(frozen=True, slots=True)
class Erase(Action):
    answer: Literal["yes", "no"]


# Self-assessment: choosing the product, the questions, the results.
assessment = Codec("as")


@assessment.action("start")
@dataclass(frozen=True, slots=True)
class StartAssessment(Action):
    pass


@assessment.action("new")
@dataclass(frozen=True, slots=True)
class OtherProduct(Action):
    pass


@assessment.action("sec")
@dataclass(frozen=True, slots=True)
class BrowseSector(Action):
    sector: int


@assessment.action("grp")
@dataclass(frozen=True, slots=True)
class BrowseGroup(Action):
    sector: int
    group: int


@assessment.action("set")
@dataclass(frozen=True, slots=True)
class ChooseSet(Action):
    code: str


@assessment.action("resume")
@dataclass(frozen=True, slots=True)
class ResumeAssessment(Action):
    assessment: str


@assessment.action("show")
@dataclass(frozen=True, slots=True)
class ShowQuestion(Action):
    pass


@assessment.action("walk")
@dataclass(frozen=True, slots=True)
class WalkSkipped(Action):
    pass


@assessment.action("a")
@dataclass(frozen=True, slots=True)
class AnswerQuestion(Action):
    index: int
    option: int


@assessment.action("skip")
@dataclass(frozen=True, slots=True)
class SkipQuestion(Action):
    index: int


@assessment.action("back")
@dataclass(frozen=True, slots=True)
class PreviousQuestion(Action):
    index: int


@assessment.action("pause")
@dataclass(frozen=True, slots=True)
class PauseAssessment(Action):
    index: int


@assessment.action("finish")
@dataclass(frozen=True, slots=True)
class FinishAssessment(Action):
    index: int


@assessment.action("dq_go")
@dataclass(frozen=True, slots=True)
class GoOnRejected(Action):
    """Go on after an answer that rejects the product."""

    index: int


@assessment.action("again")
@dataclass(frozen=True, slots=True)
class Reassess(Action):
    assessment: str


@assessment.action("move")
@dataclass(frozen=True, slots=True)
class MoveToEdition(Action):
    """Reassess on the edition in force."""

    assessment: str


@assessment.action("review:walk")
@dataclass(frozen=True, slots=True)
class ReviewAll(Action):
    pass


@assessment.action("ready")
@dataclass(frozen=True, slots=True)
class Readiness(Action):
    pass


@assessment.action("dossier")
@dataclass(frozen=True, slots=True)
class Dossier(Action):
    assessment: str


@assessment.action("plan")
@dataclass(frozen=True, slots=True)
class StarPlan(Action):
    assessment: str
    stars: int


@assessment.action("results")
@dataclass(frozen=True, slots=True)
class MyResults(Action):
    pass


@assessment.action("res")
@dataclass(frozen=True, slots=True)
class ShowResult(Action):
    assessment: str


@assessment.action("wait")
@dataclass(frozen=True, slots=True)
class WaitForSheet(Action):
    code: str


# FAQ.
faq = Codec("faq")


@faq.action("list")
@dataclass(frozen=True, slots=True)
class FaqTopics(Action):
    pass


@faq.action("e")
@dataclass(frozen=True, slots=True)
class FaqAnswer(Action):
    entry: str


@faq.action("officer")
@dataclass(frozen=True, slots=True)
class FaqOfficer(Action):
    """Who to ask."""


# Visitors: places near a point, a town, one place.
tourism = Codec("tp")


@tourism.action("start")
@dataclass(frozen=True, slots=True)
class AskWhere(Action):
    pass


@tourism.action("d")
@dataclass(frozen=True, slots=True)
class PlaceDetails(Action):
    key: str


@tourism.action("m")
@dataclass(frozen=True, slots=True)
class PlacesNear(Action):
    """A page of places near a point, of one kind ("" for all)."""

    lat: float
    lon: float
    kind: str = ""
    offset: int = 0


@tourism.action("g")
@dataclass(frozen=True, slots=True)
class NearTown(Action):
    town: str


# Reminders: the dates ahead, muting them.
reminders = Codec("rm")


@reminders.action("list")
@dataclass(frozen=True, slots=True)
class Upcoming(Action):
    pass


@reminders.action("off")
@dataclass(frozen=True, slots=True)
class Mute(Action):
    """Mute one date (0: all)."""

    mute_id: int


@reminders.action("mute")
@dataclass(frozen=True, slots=True)
class MuteOld(Action):
    """`Mute`, as older messages carry it."""

    mute_id: int


@reminders.action("on")
@dataclass(frozen=True, slots=True)
class Unmute(Action):
    mute_id: int


@reminders.action("unmute")
@dataclass(frozen=True, slots=True)
class UnmuteAllOld(Action):
    """Every reminder back on, as older messages carry it."""


@reminders.action("cert")
@dataclass(frozen=True, slots=True)
class OpenCertificates(Action):
    pass


# Certificates: the user's OCOP certificates.
certificates = Codec("ct")
CertificateField = Literal["product", "stars", "date", "level"]


@certificates.action("list")
@dataclass(frozen=True, slots=True)
class Certificates(Action):
    pass


@certificates.action("add")
@dataclass(frozen=True, slots=True)
class AddCertificate(Action):
    pass


@certificates.action("edit")
@dataclass(frozen=True, slots=True)
class EditCertificate(Action):
    certificate: int


@certificates.action("field")
@dataclass(frozen=True, slots=True)
class EditField(Action):
    field: CertificateField


@certificates.action("del")
@dataclass(frozen=True, slots=True)
class AskDeleteCertificate(Action):
    certificate: int


@certificates.action("delok")
@dataclass(frozen=True, slots=True)
class DeleteCertificate(Action):
    certificate: int


@certificates.action("stars")
@dataclass(frozen=True, slots=True)
class CertificateStars(Action):
    stars: Literal["3", "4", "5"]


@certificates.action("level")
@dataclass(frozen=True, slots=True)
class CertificateLevel(Action):
    level: str


# Hand-over to an officer.
handover = Codec("ho")


@handover.action("start")
@dataclass(frozen=True, slots=True)
class AskOfficer(Action):
    pass


@handover.action("close")
@dataclass(frozen=True, slots=True)
class CloseHandover(Action):
    handover: int


@handover.action("list")
@dataclass(frozen=True, slots=True)
class HandoverQueue(Action):
    pass


@handover.action("claim")
@dataclass(frozen=True, slots=True)
class ClaimHandover(Action):
    handover: int


@handover.action("reply")
@dataclass(frozen=True, slots=True)
class ReplyToHandover(Action):
    handover: int


# Officer rights: approving a request.
officer_rights = Codec("of")


@officer_rights.action("ok")
@dataclass(frozen=True, slots=True)
class ApproveOfficer(Action):
    user: int


@officer_rights.action("no")
@dataclass(frozen=True, slots=True)
class RefuseOfficer(Action):
    user: int


# Deadlines an officer publishes.
deadlines = Codec("dl")


@deadlines.action("new")
@dataclass(frozen=True, slots=True)
class NewDeadline(Action):
    pass


@deadlines.action("scope")
@dataclass(frozen=True, slots=True)
class DeadlineScope(Action):
    """The province it concerns (0: nationwide)."""

    province: int


@deadlines.action("grp")
@dataclass(frozen=True, slots=True)
class DeadlineGroup(Action):
    """A product group: `all` or an index (`audience.group_choice`)."""

    choice: str


@deadlines.action("nolink")
@dataclass(frozen=True, slots=True)
class NoLink(Action):
    pass


@deadlines.action("go")
@dataclass(frozen=True, slots=True)
class PublishDeadline(Action):
    pass


@deadlines.action("go:all")
@dataclass(frozen=True, slots=True)
class PublishDeadlineNationwide(Action):
    """A provincial officer confirms the whole country."""


@deadlines.action("home")
@dataclass(frozen=True, slots=True)
class DeadlineHomeOnly(Action):
    """Keep it to the officer's province."""


@deadlines.action("discard")
@dataclass(frozen=True, slots=True)
class DiscardDeadline(Action):
    pass


@deadlines.action("move")
@dataclass(frozen=True, slots=True)
class MoveDeadline(Action):
    deadline: int


@deadlines.action("cancel")
@dataclass(frozen=True, slots=True)
class CancelDeadline(Action):
    deadline: int


# Broadcasts an officer sends.
broadcasts = Codec("bc")


@broadcasts.action("new")
@dataclass(frozen=True, slots=True)
class NewBroadcast(Action):
    pass


@broadcasts.action("role")
@dataclass(frozen=True, slots=True)
class ToggleRole(Action):
    role: Literal["all", "producer", "tourist", "officer"]


@broadcasts.action("where")
@dataclass(frozen=True, slots=True)
class BroadcastWhere(Action):
    """Nationwide (0) or the officer's province."""

    province: int


@broadcasts.action("grp")
@dataclass(frozen=True, slots=True)
class AskBroadcastGroup(Action):
    pass


@broadcasts.action("grp")
@dataclass(frozen=True, slots=True)
class BroadcastGroup(Action):
    """A product group: `all` or an index (`audience.group_choice`)."""

    choice: str


@broadcasts.action("aud")
@dataclass(frozen=True, slots=True)
class ChangeAudience(Action):
    pass


@broadcasts.action("preview")
@dataclass(frozen=True, slots=True)
class PreviewBroadcast(Action):
    pass


@broadcasts.action("go")
@dataclass(frozen=True, slots=True)
class SendBroadcast(Action):
    pass


@broadcasts.action("go:all")
@dataclass(frozen=True, slots=True)
class SendBroadcastNationwide(Action):
    """A provincial officer confirms the whole country."""


@broadcasts.action("home")
@dataclass(frozen=True, slots=True)
class BroadcastHomeOnly(Action):
    """Keep it to the officer's province."""


@broadcasts.action("discard")
@dataclass(frozen=True, slots=True)
class DiscardBroadcast(Action):
    pass


@broadcasts.action("stat")
@dataclass(frozen=True, slots=True)
class BroadcastProgress(Action):
    broadcast: int


@broadcasts.action("stop")
@dataclass(frozen=True, slots=True)
class StopBroadcast(Action):
    broadcast: int
