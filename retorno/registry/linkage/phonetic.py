"""A phonetic key for Spanish names, for blocking: spellings that sound alike share a key.

Seseo and yeísmo as spoken in Central America and Colombia (z, ce, ci, s → S; ll, y → Y),
b/v, silent h, c/k/qu, g/j before e and i, x as j or s. The key is the first sound followed by
the consonant skeleton, repeated sounds collapsed: Hernández, Hernandes, Ernandez → ERNDS.
"""

from __future__ import annotations

import functools
import re

from retorno.core.text import fold

_RULE_TEXT: list[tuple[str, str]] = [
    (r"ph", "f"),
    (r"ch", "X"),
    (r"ll", "Y"),
    (r"qu", "K"),
    (r"gu(?=[ei])", "G"),
    (r"g(?=[ei])", "J"),
    (r"c(?=[ei])", "S"),
    (r"^x", "S"),
    (r"x", "J"),
    (r"sh", "X"),
    (r"[ck]", "K"),
    (r"z", "S"),
    (r"[vw]", "B"),
    (r"y(?=[aeiou])", "Y"),
    (r"y", "i"),
    (r"h", ""),
    (r"tt", "t"),
]
_RULES = [(re.compile(pattern), replacement) for pattern, replacement in _RULE_TEXT]
_NOT_LETTER = re.compile(r"[^a-z]")
_VOWEL = re.compile(r"[AEIOU]")


@functools.lru_cache(maxsize=200_000)
def phonetic(word: str, length: int = 6) -> str:
    letters = _NOT_LETTER.sub("", fold(word))
    if not letters:
        return ""
    for pattern, replacement in _RULES:
        letters = pattern.sub(replacement, letters)
    letters = letters.upper()
    if not letters:
        return ""
    head, tail = letters[0], letters[1:]
    skeleton = _VOWEL.sub("", tail)
    key = head
    for char in skeleton:
        if char != key[-1]:
            key += char
    return key[:length]
