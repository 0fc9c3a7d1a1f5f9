"""Button actions encode and decode in one place: every action round-trips, nothing over 64
bytes leaves, malformed data decodes to nothing (the stale-button answer); conversations that
claim the same prefix, command or flow stop the router; flow state loads old dicts."""

from __future__ import annotations

import typing
from dataclasses import fields

import pytest

from bot import router
from bot.actions import Action, Codec
from bot.context import FlowData
from bot.conversation import Conversation
from bot.messages import MAX_ACTION_BYTES, Button, Incoming, Reply
from handlers import actions as do
from handlers import officer_actions
from handlers.assessment_questions import Answering
from handlers.broadcasts import Draft


def _sample(kind: object) -> object:
    """A value of a field's type, as long as it may be."""
    if kind is int:
        return 10**17
    if kind is float:
        return 21.0285
    if kind is str:
        return "26-tuong-nuoc-mam"
    return typing.get_args(kind)[-1]  # a Literal


def _every_action() -> list[Action]:
    made = []
    for value in [*vars(do).values(), *vars(officer_actions).values()]:
        if isinstance(value, type) and issubclass(value, Action) and value is not Action:
            hints = typing.get_type_hints(value)
            made.append(value(*(_sample(hints[f.name]) for f in fields(value))))
    return made


@pytest.mark.parametrize("action", _every_action(), ids=lambda a: type(a).__name__)
def test_every_action_round_trips_within_64_bytes(action: Action) -> None:
    data = action.encode()
    assert len(data.encode()) <= MAX_ACTION_BYTES
    assert data.split(":", 1)[0] in router.ACTIONS
    assert router.decoded(data) == action


def test_actions_keep_the_strings_buttons_already_carry() -> None:
    assert do.AnswerQuestion(12, 1).encode() == "as:a:12:1"
    assert do.PlacesNear(16.0544, 108.2022).encode() == "tp:m:16.0544:108.2022::0"
    assert do.Mute(-3).encode() == "rm:off:-3"
    assert officer_actions.ApproveOfficer(7).encode() == "of:ok:7"
    assert router.decoded("m:lang") == do.AskLanguage()
    assert router.decoded("m:lang:en") == do.SetLanguage("en")
    assert router.decoded("dl:go:all") == officer_actions.PublishDeadlineNationwide()
    assert router.decoded("rm:mute:5") == do.MuteOld(5)  # as older messages carry it


def test_an_action_over_64_bytes_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        do.ChooseSet("x" * 60).encode()
    with pytest.raises(ValueError, match="64 bytes"):
        Button("too long", "as:set:" + "x" * 60)


def test_a_colon_cannot_hide_inside_a_field() -> None:
    with pytest.raises(ValueError, match="`:`"):
        do.FaqAnswer("a:b").encode()


@pytest.mark.parametrize(
    "data",
    [
        "as:a:1",  # a field short
        "as:a:1:2:3",  # one too many
        "as:a:x:1",  # not a number
        "as:a:١:1",  # Unicode digits
        "as:a:" + "9" * 40 + ":1",  # no id is that long
        "m:lang:fr",  # not one of the languages
        "ct:stars:2",
        "tp:m:abc:108.2::0",  # not a coordinate
        "zz:start",  # nobody's prefix
        "as:nosuch",
        "as:" + "a" * 70,
        "",
    ],
)
def test_malformed_data_decodes_to_nothing(data: str) -> None:
    assert router.decoded(data) is None


async def _nothing(*_: object) -> list[Reply]:
    return []


def test_router_refuses_two_conversations_with_one_prefix() -> None:
    first = Codec("zz")
    second = Codec("zz")
    with pytest.raises(ValueError, match="button prefix zz: is claimed by both one and two"):
        router.tables(
            [
                Conversation(name="one", actions=first, on_action=_nothing),
                Conversation(name="two", actions=second, on_action=_nothing),
            ]
        )


def test_router_refuses_two_conversations_with_one_command_or_flow() -> None:
    async def answer(_ctx: object, _msg: Incoming) -> list[Reply]:
        return []

    with pytest.raises(ValueError, match="/start is claimed by both"):
        router.tables([*router.CONVERSATIONS, Conversation(name="x", commands={"start": answer})])
    with pytest.raises(ValueError, match="flow assess is claimed by both"):
        router.tables([*router.CONVERSATIONS, Conversation(name="x", flow="assess")])


def test_a_codec_refuses_one_tag_registered_twice() -> None:
    codec = Codec("yy")

    class Go(Action, codec=codec, tag="go"):
        pass

    assert Go().encode() == "yy:go"
    with pytest.raises(ValueError, match="registered twice"):

        class GoAgain(Action, codec=codec, tag="go"):
            pass


def test_an_action_is_a_frozen_dataclass() -> None:
    with pytest.raises(AttributeError):
        do.ChooseSet("x").code = "y"  # the point: it cannot be assigned


def test_flow_state_loads_old_dicts_and_keeps_their_keys() -> None:
    stored = {"aid": "ab12", "key": "26-x@26", "i": 4, "answers": {"1.1": 2}, "skipped": []}
    answering = Answering.load(stored)
    assert (answering.assessment, answering.index, answering.answers) == ("ab12", 4, {"1.1": 2})
    assert answering.dump() == {
        **stored,
        "product": "",
        "walk": False,
        "moved": False,
        "changed": [],
    }
    broken = Answering.load({"i": "4", "answers": {"1.1": "x"}, "walk": 1, "gone": True})
    assert (broken.index, broken.answers, broken.walk) == (0, {}, False)


def test_flow_state_of_an_audience_takes_defaults_for_what_is_missing() -> None:
    draft = Draft.load({"text": "Hội chợ", "roles": ["producer"], "provinces": [1, "x"]})
    assert (draft.text, draft.roles, draft.provinces, draft.group) == (
        "Hội chợ",
        ["producer"],
        [],
        "all",
    )
    assert isinstance(draft, FlowData)
