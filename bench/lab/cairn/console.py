"""What the lab's commands share: printing that reaches the
terminal at once (long runs show progress), loud banners for what must not
be missed, and paths shown relative to the repository."""

import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def say(*args):
    print(*args, flush=True)


def loud(text):
    bar = "!" * 72
    say(bar)
    for line in text.splitlines():
        say("!! " + line)
    say(bar)


def rel(path, repo=REPO):
    try:
        return os.path.relpath(path, repo)
    except ValueError:
        return path
