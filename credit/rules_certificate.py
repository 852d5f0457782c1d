"""Verification codes of certificates: plain functions (SPEC §14)."""

# Crockford's base32: no I, L, O or U, so a code read off paper is typed right. 10 characters are
# 50 bits: guessing one of a million issued codes takes about 10^9 tries, and /verify/ is
# rate-limited per address.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10


def normalize_code(raw: str) -> str:
    """What a person typed (any case, dashes, spaces, O for 0, I or L for 1) -> the stored code."""
    text = (raw or "")[:100].upper().translate(str.maketrans("OIL", "011"))
    # Only the alphabet's characters: anything else (dashes, spaces, junk) is dropped.
    return "".join(c for c in text if c in CODE_ALPHABET)[: CODE_LENGTH * 2]


def display_code(code: str) -> str:
    """'ABCDE-FGHJK': easier to read aloud and to type."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code
