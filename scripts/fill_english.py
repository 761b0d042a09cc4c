"""English is the source language: fill locale/en with msgstr = msgid so the
completeness test sees every message translated in all three languages."""

import polib

po = polib.pofile("locale/en/LC_MESSAGES/django.po")
for entry in po:
    if entry.msgid_plural:
        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    else:
        entry.msgstr = entry.msgid
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
po.save()
print(f"{len(po)} English entries filled")
