"""The public address that flyers print and encode in their QR code (setting PUBLIC_URL)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..errors import UsageError


class PublicUrlError(UsageError):
    """PUBLIC_URL is unset or points to this machine, so a printed QR code would lead nowhere."""


def is_local(url: str) -> bool:
    """Return whether url points to this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def check_public_url(url: str, without: str = "--no-qr") -> str:
    """Return url if families can open it; else raise PublicUrlError saying how to set it.

    `without` names how to print without a QR code instead (CLI flag or web parameter).
    """
    url = url.strip()
    parts = urlsplit(url)
    if not url:
        problem_de, problem_en = "PUBLIC_URL ist nicht gesetzt", "PUBLIC_URL is not set"
    elif parts.scheme not in ("http", "https") or not parts.hostname:
        problem_de = f"PUBLIC_URL „{url}“ ist keine Web-Adresse"
        problem_en = f"PUBLIC_URL '{url}' is not a web address"
    elif is_local(url):
        problem_de = f"PUBLIC_URL zeigt auf diesen Rechner ({url})"
        problem_en = f"PUBLIC_URL points to this machine ({url})"
    else:
        return url
    raise PublicUrlError(
        f"Der QR-Code des Flyers würde ins Leere führen: {problem_de}. Setzen Sie die "
        "öffentliche Adresse des Verzeichnisses, z. B. WIQNET_PUBLIC_URL=https://wiq.example.de/ "
        f"oder public_url in der WIQNET_CONFIG-Datei – oder drucken Sie ohne QR-Code ({without}). "
        f"/ The flyer's QR code would lead nowhere: {problem_en}. Set the directory's public "
        "address, e.g. WIQNET_PUBLIC_URL=https://wiq.example.de/ or public_url in the "
        f"WIQNET_CONFIG file, or print without a QR code ({without})."
    )
