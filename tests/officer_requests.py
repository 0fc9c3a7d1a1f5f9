"""Evaluation set for recognising a typed request to talk to an officer (written before the
matcher was changed): realistic phrasing, no diacritics, typos, English, and must-decline
messages that mention officers or meeting without asking for one. `bench/handover.py` prints
the rates by category; tests/test_handover.py requires every case."""

from __future__ import annotations

CASES: dict[str, list[tuple[str, bool]]] = {
    "vietnamese": [
        ("gặp cán bộ", True),
        ("Tôi muốn gặp cán bộ OCOP", True),
        ("cho em gặp cán bộ với ạ", True),
        ("Tôi muốn nói chuyện với cán bộ để hỏi về hồ sơ", True),
        ("xin liên hệ cán bộ phụ trách OCOP", True),
        ("cho tôi gặp người thật", True),
        ("em muốn gặp nhân viên tư vấn", True),
        ("kết nối với cán bộ giúp tôi", True),
    ],
    "no_diacritics": [
        ("gap can bo", True),
        ("toi muon gap can bo ocop", True),
        ("cho minh noi chuyen voi can bo nhe", True),
        ("lien he can bo", True),
        ("gap nguoi that", True),
    ],
    "typos": [
        ("gap canbo", True),
        ("gặp cán bọ", True),
        ("toi muon gap can boo", True),
        ("talk to an offcer", True),
        ("speak to a humna", True),
    ],
    "english": [
        ("talk to an officer", True),
        ("Can I speak to a human?", True),
        ("I want to talk to a real person", True),
        ("please connect me with an officer", True),
        ("How can I contact an OCOP officer?", True),
        ("I'd like to talk to someone from the office", True),
    ],
    "must_decline": [
        ("cán bộ OCOP là ai", False),
        ("khi đi gặp cán bộ xã thì cần mang giấy tờ gì", False),
        ("tôi gặp khó khăn khi làm hồ sơ", False),
        ("tôi là cán bộ", False),
        ("how do I become an officer", False),
        ("how to talk to customers about my product", False),
        ("talk", False),
        ("officer", False),
        ("hồ sơ gồm những gì", False),
        ("gần Hội An có gì", False),
    ],
}
