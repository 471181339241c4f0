"""The upload an editor has previewed and not yet confirmed, kept between the two requests.

Not in the session, whose row would carry megabytes for two weeks: a private directory
(setting BIBTEX_IMPORT_PENDING_DIR) holds at most one file per user, replaced by the next
preview, removed on confirm or cancel, and expired BIBTEX_IMPORT_PENDING_SECONDS after the
preview. Expired files (of any user) are removed whenever someone previews an import. The
session keeps only the file's random token, so a stale or guessed name finds nothing.
"""

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass
class PendingUpload:
    name: str
    text: str


def pending_dir() -> Path:
    return Path(settings.BIBTEX_IMPORT_PENDING_DIR)


def lifetime_seconds() -> int:
    return settings.BIBTEX_IMPORT_PENDING_SECONDS


def _path(user_id: int, token: str) -> Path:
    return pending_dir() / f"{int(user_id)}-{token}.json"


def save(user_id: int, name: str, text: str) -> str:
    """Keep `text` as the user's one pending upload; the token to find it again.

    Raises OSError when the directory cannot be written.
    """
    directory = pending_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    purge_expired()
    discard(user_id)
    token = secrets.token_hex(16)
    path = _path(user_id, token)
    partial = path.with_suffix(".part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"name": name, "text": text}, handle)
    os.replace(partial, path)
    return token


def load(user_id: int, token: str) -> PendingUpload | None:
    """The user's pending upload under `token`, or None when it is gone or has expired."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    path = _path(user_id, token)
    try:
        if _expired(path):
            path.unlink(missing_ok=True)
            return None
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return PendingUpload(name=stored["name"], text=stored["text"])


def discard(user_id: int) -> None:
    """Remove the user's pending upload, if any."""
    for path in pending_dir().glob(f"{int(user_id)}-*"):
        path.unlink(missing_ok=True)


def purge_expired() -> None:
    """Remove every pending upload (or half-written one) older than its lifetime."""
    for path in pending_dir().glob("*"):
        try:
            if _expired(path):
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _expired(path: Path) -> bool:
    return path.stat().st_mtime < time.time() - lifetime_seconds()
