"""The button actions the handlers send, by conversation: the bot's wire vocabulary (the
officers' own conversations are in `handlers.officer_actions`).

Each block is one conversation's `Codec` (its prefix) and its actions; a handler builds a
button with `Button(label, SomeAction(...).encode())` and its `on_action` gets the decoded
action. The strings are those sent before actions were typed, so old buttons keep working.
"""

from __future__ import annotations

from typing import Literal

from bot.actions import Action, Codec

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = ("vi", "en")
Role = Literal["producer", "tourist", "officer"]
ROLES: tuple[Role, ...] = ("producer", "tourist", "officer")

# Onboarding: who the user is, their language, their province.
onboarding = Codec("ob")


class StartOnboarding(Action, codec=onboarding, tag="start"):
    """Greet and ask who the user is (or confirm the profile of someone known)."""


class EditProfile(Action, codec=onboarding, tag="edit"):
    """Change the role or the province."""

    what: Literal["role", "province"]


class ChooseRole(Action, codec=onboarding, tag="role"):
    role: Role


class ChooseLanguage(Action, codec=onboarding, tag="lang"):
    """The language step of onboarding."""

    code: Language


class FirstLanguage(Action, codec=onboarding, tag="first"):
    """The language, chosen on the first screen."""

    code: Language


class ChooseProvince(Action, codec=onboarding, tag="prov"):
    code: int


class ProvincePage(Action, codec=onboarding, tag="page"):
    page: int


class SkipProvince(Action, codec=onboarding, tag="skip"):
    pass


# Menu: the main menu, help, profile, language.
menu = Codec("m")


class ShowMenu(Action, codec=menu, tag="menu"):
    pass


class ShowHelp(Action, codec=menu, tag="help"):
    pass


class ShowProfile(Action, codec=menu, tag="profile"):
    pass


class AskLanguage(Action, codec=menu, tag="lang"):
    pass


class SetLanguage(Action, codec=menu, tag="lang"):
    code: Language


# Consent: the privacy notice's two answers.
consent = Codec("cs")


class Agree(Action, codec=consent, tag="yes"):
    version: str


class Decline(Action, codec=consent, tag="no"):
    version: str


class AskConsent(Action, codec=consent, tag="start"):
    """Show the notice again (after an erasure)."""


# Privacy: the notice, a copy of one's data, erasure.
privacy = Codec("pv")


class PrivacyNotice(Action, codec=privacy, tag="notice"):
    pass


class MyData(Action, codec=privacy, tag="mydata"):
    pass


class AskErase(Action, codec=privacy, tag="delete"):
    pass


class Erase(Action, codec=privacy, tag="del"):
    answer: Literal["yes", "no"]


# Self-assessment: choosing the product, the questions, the results.
assessment = Codec("as")


class StartAssessment(Action, codec=assessment, tag="start"):
    pass


class OtherProduct(Action, codec=assessment, tag="new"):
    pass


class BrowseSector(Action, codec=assessment, tag="sec"):
    sector: int


class BrowseGroup(Action, codec=assessment, tag="grp"):
    sector: int
    group: int


class ChooseSet(Action, codec=assessment, tag="set"):
    code: str


class ResumeAssessment(Action, codec=assessment, tag="resume"):
    assessment: str


class ShowQuestion(Action, codec=assessment, tag="show"):
    pass


class WalkSkipped(Action, codec=assessment, tag="walk"):
    pass


class AnswerQuestion(Action, codec=assessment, tag="a"):
    index: int
    option: int


class SkipQuestion(Action, codec=assessment, tag="skip"):
    index: int


class PreviousQuestion(Action, codec=assessment, tag="back"):
    index: int


class PauseAssessment(Action, codec=assessment, tag="pause"):
    index: int


class FinishAssessment(Action, codec=assessment, tag="finish"):
    index: int


class GoOnRejected(Action, codec=assessment, tag="dq_go"):
    """Go on after an answer that rejects the product."""

    index: int


class Reassess(Action, codec=assessment, tag="again"):
    assessment: str


class MoveToEdition(Action, codec=assessment, tag="move"):
    """Reassess on the edition in force."""

    assessment: str


class ReviewAll(Action, codec=assessment, tag="review:walk"):
    pass


class Readiness(Action, codec=assessment, tag="ready"):
    pass


class Dossier(Action, codec=assessment, tag="dossier"):
    assessment: str


class StarPlan(Action, codec=assessment, tag="plan"):
    """The plan to a star, in short: the criteria that matter most."""

    assessment: str
    stars: int


class StarPlanPage(Action, codec=assessment, tag="planp"):
    """One page of the whole plan to a star (0 first)."""

    assessment: str
    stars: int
    page: int


class DossierPage(Action, codec=assessment, tag="dossierp"):
    """One page of the whole dossier (0 first)."""

    assessment: str
    page: int


class ResultParts(Action, codec=assessment, tag="parts"):
    """A result's points per part, its band and what each higher star lacks, with the chart."""

    assessment: str


class ResultLaw(Action, codec=assessment, tag="law"):
    """A result's legal basis: the criteria's decision, the band's and the certifier's articles."""

    assessment: str


class MyResults(Action, codec=assessment, tag="results"):
    pass


class ShowResult(Action, codec=assessment, tag="res"):
    assessment: str


class WaitForSheet(Action, codec=assessment, tag="wait"):
    code: str


# FAQ.
faq = Codec("faq")


class FaqTopics(Action, codec=faq, tag="list"):
    pass


class FaqAnswer(Action, codec=faq, tag="e"):
    entry: str


class FaqDetails(Action, codec=faq, tag="d"):
    """The full answer of an entry, with its legal basis."""

    entry: str


class FaqOfficer(Action, codec=faq, tag="officer"):
    """Who to ask."""


# Visitors: places near a point, a town, one place.
tourism = Codec("tp")


class AskWhere(Action, codec=tourism, tag="start"):
    pass


class PlaceDetails(Action, codec=tourism, tag="d"):
    key: str


class PlacesNear(Action, codec=tourism, tag="m"):
    """A page of places near a point, of one kind ("" for all)."""

    lat: float
    lon: float
    kind: str = ""
    offset: int = 0


class NearTown(Action, codec=tourism, tag="g"):
    town: str


class MoreFound(Action, codec=tourism, tag="f"):
    """The next page of the list the last typed question found (kept in the visit's state)."""

    offset: int


# Reminders: the dates ahead, muting them.
reminders = Codec("rm")


class Upcoming(Action, codec=reminders, tag="list"):
    pass


class Mute(Action, codec=reminders, tag="off"):
    """Mute one date (0: all)."""

    mute_id: int


class MuteOld(Action, codec=reminders, tag="mute"):
    """`Mute`, as older messages carry it."""

    mute_id: int


class Unmute(Action, codec=reminders, tag="on"):
    mute_id: int


class UnmuteAllOld(Action, codec=reminders, tag="unmute"):
    """Every reminder back on, as older messages carry it."""


class OpenCertificates(Action, codec=reminders, tag="cert"):
    pass


# Certificates: the user's OCOP certificates.
certificates = Codec("ct")
CertificateField = Literal["product", "stars", "date", "level"]


class Certificates(Action, codec=certificates, tag="list"):
    pass


class AddCertificate(Action, codec=certificates, tag="add"):
    pass


class EditCertificate(Action, codec=certificates, tag="edit"):
    certificate: int


class EditField(Action, codec=certificates, tag="field"):
    field: CertificateField


class AskDeleteCertificate(Action, codec=certificates, tag="del"):
    certificate: int


class DeleteCertificate(Action, codec=certificates, tag="delok"):
    certificate: int


class CertificateStars(Action, codec=certificates, tag="stars"):
    stars: Literal["3", "4", "5"]


class CertificateLevel(Action, codec=certificates, tag="level"):
    level: str


# Hand-over to an officer.
handover = Codec("ho")


class AskOfficer(Action, codec=handover, tag="start"):
    pass


class AskAboutAnnouncement(Action, codec=handover, tag="bc"):
    """Ask an officer about the announcement the button came under."""

    broadcast: int


class AskLastQuestion(Action, codec=handover, tag="last"):
    """Send an officer the question the bot just could not answer."""


class CloseHandover(Action, codec=handover, tag="close"):
    handover: int


class HandoverQueue(Action, codec=handover, tag="list"):
    pass


class ClaimHandover(Action, codec=handover, tag="claim"):
    handover: int


class ReplyToHandover(Action, codec=handover, tag="reply"):
    handover: int
