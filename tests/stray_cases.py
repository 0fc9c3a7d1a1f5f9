"""Evaluation set: what a producer types at the main menu, and the product set whose
self-assessment the bot should offer (None: it must not offer one). Used by
tests/test_flows.py and `python -m bench.stray`."""

from __future__ import annotations

PRODUCT_LEAD_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at the menu, the product set offered first, or None)
    ("no diacritics", "nuoc mam", "26-tuong-nuoc-mam"),
    ("no diacritics", "mat ong", "26-mat-ong-mat-khac"),
    ("no diacritics", "gom", "26-thu-cong-my-nghe"),
    ("no diacritics", "ca phe", "26-ca-phe-ca-cao"),
    ("no diacritics", "ruou", "26-ruou-trang"),
    ("no diacritics", "may tre dan", "26-thu-cong-my-nghe"),
    ("diacritics", "Nước mắm", "26-tuong-nuoc-mam"),
    ("diacritics", "mật ong", "26-mat-ong-mat-khac"),
    ("diacritics", "chè", "26-che-tuoi-che-bien"),
    ("diacritics", "gạo", "26-gao-ngu-coc-hat-so-che"),
    ("upper case", "NUOC MAM", "26-tuong-nuoc-mam"),
    ("upper case", "Mat Ong", "26-mat-ong-mat-khac"),
    ("sentence", "toi lam nuoc mam", "26-tuong-nuoc-mam"),
    ("sentence", "nhà tôi làm mật ong", "26-mat-ong-mat-khac"),
    ("sentence", "san pham ca phe", "26-ca-phe-ca-cao"),
    ("sentence", "I make fish sauce", "26-tuong-nuoc-mam"),
    ("sentence", "we produce honey", "26-mat-ong-mat-khac"),
    ("English", "fish sauce", "26-tuong-nuoc-mam"),
    ("English", "honey", "26-mat-ong-mat-khac"),
    ("English", "tea", "26-che-tuoi-che-bien"),
    ("English", "coffee", "26-ca-phe-ca-cao"),
    ("English", "rice", "26-gao-ngu-coc-hat-so-che"),
    ("must decline", "xin chao", None),
    ("must decline", "cam on", None),
    ("must decline", "hello", None),
    ("must decline", "ok", None),
    ("must decline", "hoi an", None),
    ("must decline", "bat trang", None),
    ("must decline", "bao nhieu sao", None),
    ("must decline", "tourist", None),
    ("must decline", "toi lam gi bay gio", None),
    ("must decline", "san pham cua toi duoc may sao", None),
]
