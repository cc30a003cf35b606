"""A studying process for the crash and concurrency tests: drives a StudySession on the
database given, printing one line per committed answer ("<log id> <unit id> <quality>") only
after `grade` returned, i.e. after the answer was committed.

    python -m tests.study.studier DB_URL LEARNER COUNT [--wait]

With `--wait` it prints "ready" once its session is built and waits for a line on stdin before
answering, so a test can start several studiers answering at the same moment.
"""

from __future__ import annotations

import sys

from gmed_trainer.store.repository import Store
from gmed_trainer.study.session import Phase, StudySession


def main(argv: list[str]) -> int:
    url, name, count = argv[0], argv[1], int(argv[2])
    with Store.open(url) as store:
        learner = store.learner(name)
        assert learner is not None
        session = StudySession.start(store, learner, seed=1)
        if "--wait" in argv[3:]:
            print("ready", flush=True)
            sys.stdin.readline()
        for number in range(count):
            if session.phase is Phase.FINISHED:
                break
            unit_id = session.current.unit_id  # type: ignore[union-attr]
            session.reveal()
            quality = 5 if number % 3 else 4
            session.grade(quality)
            outcome = session.last_outcome
            assert outcome is not None
            print(f"{outcome.log_id} {unit_id} {quality}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
