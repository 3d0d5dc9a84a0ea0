"""infra/backup.sh and infra/restore.sh: a restored store has the same events, views
equal to a rebuild from them, and the app carries on writing there."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from domain.app import SmallSteps
from domain.clock import FixedClock
from domain.person import person_id
from domain.projections.views import rows_snapshot
from tests.infra.conftest import INFRA, Provisioned, run, superuser

pytestmark = pytest.mark.postgres

START = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)  # a Monday


def seed(app: SmallSteps, clock: FixedClock) -> None:
    """A fortnight for three people, one of whom then asks to be erased."""
    for person in ("ann", "ben", "cat"):
        app.enrol(person, "en-GB", "Europe/London")
    for day in range(14):
        clock.at = START + timedelta(days=day)
        date = (START + timedelta(days=day)).date().isoformat()
        for i, person in enumerate(("ann", "ben", "cat")):
            step = app.schedule_step(person, ("walk-around-block", "make-bed", "cook-simple")[i],
                                     date, "morning")
            if (day + i) % 3:
                app.log_done(person, step, mastery=(day % 10) + 1, enjoyment=(i * 3) % 11)
            else:
                app.log_not_done(person, step)
            app.rate_mood(person, (day + i) % 11)
    app.erase_person("cat")
    assert app.replies.claim("kept-reply", None).fresh
    app.replies.keep("kept-reply", "hello again")
    app.catch_up()


def rows(db: str, schema: str, table: str, order: str) -> list[tuple]:
    with superuser(db) as conn:
        return conn.execute(f'SELECT * FROM "{schema}".{table} ORDER BY {order}').fetchall()


def views(app: SmallSteps) -> dict:
    with app.views.reading() as cur:
        return rows_snapshot(cur)


def fingerprint(key: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`small-steps key-fingerprint` as an operator runs it, with this key file."""
    return run([str(Path(sys.executable).parent / "small-steps"), "key-fingerprint", *args],
               {**os.environ, "SMALL_STEPS_IDENTITY_KEY_FILE": str(key)}, check=False)


def test_a_backup_without_the_keys_fingerprint_is_written_and_says_so(
        provisioned: Provisioned, tmp_path: Path):
    provisioned.migrate()
    backup = run([str(INFRA / "backup.sh"), str(tmp_path / "backups")],
                 provisioned.env(PGUSER=provisioned.owner))
    archive = Path(backup.stdout.strip())
    assert archive.exists() and not Path(f"{archive}.key-sha256").exists()
    assert "WARNING: no key fingerprint" in backup.stderr


def test_a_backup_restores_into_a_new_database(provisioned: Provisioned, tmp_path: Path):
    p = provisioned
    p.migrate()
    clock = FixedClock(START)
    app = SmallSteps.from_store(p.app_url, clock, create_tables=False)
    try:
        seed(app, clock)
        original_views = views(app)
        head = app.recorder.max_notification_id()
    finally:
        app.close()
    # As the runbook's install does: the key, and its fingerprint where the backups go.
    key = tmp_path / "identity.key"
    key.write_text("a-secret-identity-key\n")
    (tmp_path / "backups").mkdir(mode=0o700)
    (tmp_path / "backups" / "identity.key.sha256").write_text(
        fingerprint(key).stdout)

    # The backup user cannot read the key (here: there is none at its path).
    backup = run([str(INFRA / "backup.sh"), str(tmp_path / "backups")],
                 p.env(PGUSER=p.owner, SMALL_STEPS_IDENTITY_KEY_FILE=str(tmp_path / "none")))
    archive = Path(backup.stdout.strip())
    assert archive.parent == tmp_path / "backups"
    assert re.fullmatch(rf"{p.db}-\d{{8}}T\d{{6}}Z\.dump", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert "identity key" in backup.stderr and "WARNING" not in backup.stderr
    recorded = Path(f"{archive}.key-sha256")
    assert recorded.read_text().strip() == hashlib.sha256(b"a-secret-identity-key").hexdigest()
    # An operator holding the right key is told so, whatever white space the file holds;
    # a wrong key is refused.
    key.write_text("  a-secret-identity-key  \n\n")
    checked = fingerprint(key, "--check", str(recorded))
    assert checked.returncode == 0 and "matches" in checked.stdout
    other = tmp_path / "other.key"
    other.write_text("another-key\n")
    wrong = fingerprint(other, "--check", str(recorded))
    assert wrong.returncode == 1 and "does NOT match" in wrong.stderr
    assert list(archive.parent.glob("*.partial")) == []

    restored = f"{p.db}_restored"
    p.extra_dbs.append(restored)
    done = run([str(INFRA / "restore.sh"), str(archive), restored], p.env())
    events = len(rows(p.db, p.schema, "smallsteps_events", "notification_id"))
    assert f"events: {events} (last notification id {head})" in done.stdout
    assert "projection_lag: 0" in done.stdout

    for table, order in (("smallsteps_events", "notification_id"),
                         ("smallsteps_snapshots", "originator_id, originator_version"),
                         ("smallsteps_views_tracking", "application_name"),
                         ("ss_replies", "reply_key")):
        assert rows(restored, p.schema, table, order) == rows(p.db, p.schema, table, order), table

    again = SmallSteps.from_store(p.url_for(restored), FixedClock(START + timedelta(days=14)),
                                  create_tables=False)
    try:
        again.check_tables()
        assert views(again) == original_views
        assert again.rebuild_views() == head
        assert views(again) == original_views
        assert again.replies.claim("kept-reply", None).reply == "hello again"
        # The app carries on: new events take ids after the restored ones.
        step = again.schedule_step("ann", "make-bed", "2026-12-07", "evening")
        again.log_done("ann", step)
        again.enrol("dan", "en-GB", "Europe/London")
        assert again.recorder.max_notification_id() > head
        assert again.catch_up() == again.recorder.max_notification_id()
        assert not again.is_enrolled("cat") and again.is_enrolled("dan")
        assert again.erase_person("ben")
    finally:
        again.close()
    with superuser(restored) as conn:
        assert conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = %s "
                            "GROUP BY tableowner", (p.schema,)).fetchall() == [(p.owner,)]

    refused = run([str(INFRA / "restore.sh"), str(archive), restored], p.env(), check=False)
    assert refused.returncode == 1 and "not empty" in refused.stderr

    # A new server: provision.sh made the database (no tables yet); restore into it.
    fresh = f"{p.db}_fresh"
    p.extra_dbs.append(fresh)
    run([str(INFRA / "postgres" / "provision.sh")], p.env(SS_DB=fresh))
    done = run([str(INFRA / "restore.sh"), str(archive), fresh], p.env())
    assert f"events: {events} (last notification id {head})" in done.stdout


def test_erasures_since_a_backup_are_applied_again_after_restoring_it(
        provisioned: Provisioned, tmp_path: Path):
    """backup.sh, then "delete my data", then restore.sh: the restore brings the person
    back; `small-steps reapply-erasures` (the runbook's step after a restore, as the
    service's user with the app role's URL) leaves them gone and everyone else intact."""
    p = provisioned
    p.migrate()
    ledger = tmp_path / "state" / "erasures.jsonl"
    clock = FixedClock(START)
    app = SmallSteps.from_store(p.app_url, clock, create_tables=False, ledger=str(ledger))
    try:
        seed(app, clock)  # cat is erased before the backup
        backup = run([str(INFRA / "backup.sh"), str(tmp_path / "backups")],
                     p.env(PGUSER=p.owner))
        archive = Path(backup.stdout.strip())
        assert app.erase_person("ann")  # after the backup
        before = views(app)
    finally:
        app.close()

    restored = f"{p.db}_restored"
    p.extra_dbs.append(restored)
    run([str(INFRA / "restore.sh"), str(archive), restored], p.env())
    url = p.url_for(restored)
    back = SmallSteps.from_store(url, clock, create_tables=False)
    try:
        assert back.is_enrolled("ann")  # the backup still holds her
    finally:
        back.close()

    env = {**os.environ, "SMALL_STEPS_ERASURE_LEDGER": str(ledger)}
    small_steps = str(Path(sys.executable).parent / "small-steps")
    done = run([small_steps, "reapply-erasures", "--store", url], env)
    assert "1 erased again (2 people in the ledger)" in done.stdout
    assert person_id("ann").hex not in done.stdout + done.stderr  # no one is named
    again = run([small_steps, "reapply-erasures", "--store", url], env)
    assert "0 erased again" in again.stdout

    after = SmallSteps.from_store(url, clock, create_tables=False)
    try:
        assert not after.is_enrolled("ann") and not after.is_enrolled("cat")
        assert after.is_enrolled("ben")
        assert views(after) == before  # exactly what the live store holds after the erasure
    finally:
        after.close()
    for table, order in (("smallsteps_events", "notification_id"),
                         ("smallsteps_snapshots", "originator_id, originator_version")):
        assert rows(restored, p.schema, table, order) == rows(p.db, p.schema, table, order), table
