"""Phone numbers as dialled from any phone: German numbers in international form."""

from __future__ import annotations

import re


def dial_string(phone: str) -> str:
    """Return '02151 86 34 72' as '+492151863472'; short numbers (110, 116 016) stay as they are."""
    digits = re.sub(r"[^0-9+]", "", phone)
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+49" + digits[1:]
    return digits
