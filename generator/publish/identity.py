"""Who ran a command, for the publication log: the git identity, or the computer's login."""

from __future__ import annotations

import getpass
import subprocess
from pathlib import Path


def _git_config(folder: Path, key: str) -> str:
    try:
        result = subprocess.run(
            ["git", "config", "--get", key],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def who_ran(folder: Path) -> dict[str, str]:
    """The person running sofs: `git config user.name` and `user.email` as git sees them in
    `folder` (the project's repository settings, else the person's own), or the login name.

    Returns `{"name", "email", "from": "git"}` or `{"name", "from": "login"}`.
    """
    name = _git_config(folder, "user.name")
    if name:
        return {"name": name, "email": _git_config(folder, "user.email"), "from": "git"}
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = "unknown"
    return {"name": login, "from": "login"}


def describe_identity(identity: object) -> str:
    """`Jo Bloggs <jo@example.org> (git identity)` or `jo (login on this computer)`."""
    if not isinstance(identity, dict) or not identity.get("name"):
        return "not recorded (written by an older sofs)"
    email = f" <{identity['email']}>" if identity.get("email") else ""
    source = "git identity" if identity.get("from") == "git" else "login on this computer"
    return f"{identity['name']}{email} ({source})"
