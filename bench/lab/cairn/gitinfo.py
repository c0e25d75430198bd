"""Where results come from: the commit, and whether the work tree is
clean enough for its numbers to be the commit's (results/) or not
(build/results-dirty/)."""

import os
import subprocess
from dataclasses import dataclass

def git(repo, *args, strip=True):
    """Runs git in repo; returns stdout (stripped unless strip is false),
    or None on failure."""
    try:
        p = subprocess.run(["git", "-C", repo] + list(args),
                           capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if p.returncode != 0:
        return None
    return p.stdout.strip() if strip else p.stdout


def head_commit(repo):
    """The full sha of HEAD, or None when there is no commit yet."""
    return git(repo, "rev-parse", "--verify", "-q", "HEAD")


def _ignored_for_dirt(line):
    """Changes that cannot change a measurement: untracked files under
    build/, and anything under results/ (the numbers themselves: a bench
    re-run at the same commit before they are committed must still count
    as clean, to append its boot to the same file; plots and the report
    that `make plot` and `make report` rewrite)."""
    path = line[3:]
    if line.startswith("?? ") and path.startswith("build/"):
        return True
    return path.startswith("results/")


def status_lines(repo):
    """`git status --porcelain` entries as "XY path" strings, or None when
    git fails.  Read with -z: the two status columns are kept intact (a
    modified file's entry starts with a space, which stripping the output
    used to eat, turning "results/..." into "esults/..."), and paths are
    not quoted.  A rename's entry is followed by its old path, which is
    not an entry of its own."""
    out = git(repo, "status", "--porcelain", "-z", strip=False)
    if out is None:
        return None
    fields = out.split("\0")
    lines = []
    i = 0
    while i < len(fields):
        f = fields[i]
        i += 1
        if not f:
            continue
        lines.append(f)
        if f[:1] in ("R", "C"):
            i += 1          # the old path of a rename or copy
    return lines


def dirty_paths(repo):
    """Entries of `git status --porcelain` that make the tree dirty: all
    of them except untracked files under build/ and changes under
    results/."""
    lines = status_lines(repo)
    if lines is None:
        return ["(git status failed)"]
    return [l for l in lines if not _ignored_for_dirt(l)]


@dataclass
class Source:
    """Where results come from: commit, and whether the tree was clean."""
    commit: str
    subject: str
    date: str
    dirty: list

    @property
    def clean(self):
        return not self.dirty


NO_COMMIT = "0" * 40


def source(repo):
    sha = head_commit(repo)
    if sha is None:
        return Source(NO_COMMIT, "(no commit yet)", "", ["(no HEAD commit)"]
                      + dirty_paths(repo))
    info = git(repo, "log", "-1", "--format=%s%x00%cI", sha) or "\x00"
    subject, _, date = info.partition("\x00")
    return Source(sha, subject, date, dirty_paths(repo))


def store_root(repo, src):
    """results/ for a clean tree; build/results-dirty/ otherwise."""
    if src.clean:
        return os.path.join(repo, "results")
    return os.path.join(repo, "build", "results-dirty")
