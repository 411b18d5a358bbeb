"""After a restart the Slack adapter reports cut-off jobs in their own threads, with Retry."""

from __future__ import annotations

import time
from dataclasses import replace

from bot.adapters.slack.app import resume_jobs
from bot.adapters.slack.responder import SlackResponder
from bot.recovery import encode, encode_handle
from commands.writing import SynopsisArgs
from core.models import JobRecord
from core.types import Author, Capabilities, Invocation, Place, Reply
from tests.adapters.slack.conftest import TEAM, OpenSlack, buttons, texts
from tests.adapters.slack.fake_slack import FakeSlack


def running_job(job_id: str, place: Place) -> JobRecord:
    args = SynopsisArgs()
    inv = Invocation(
        "synopsis", None, args, "/synopsis", place, Author("U1", "Ann"), Capabilities()
    )
    return JobRecord(
        job_id,
        "text",
        "synopsis",
        (*place.story_key, place.thread),
        "U1",
        "running",
        time.time(),
        payload=encode(inv),
    )


async def test_a_restart_reports_interrupted_jobs_in_their_thread_with_retry(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    here = Place("slack", TEAM, "C1", "1700000000.000100")
    discord = Place("discord", "G1", "42", None)
    async with open_slack() as slack:  # the process that died mid-job: its jobs are its own
        owner = slack.app.lease.id
        await slack.app.store.save_job(replace(running_job("j-slack", here), owner=owner))
        await slack.app.store.save_job(replace(running_job("j-discord", discord), owner=owner))
    async with open_slack() as slack:  # the next start
        before = len(fake.posts())
        await resume_jobs(slack.app, slack.runtime)
        posted = fake.posts()[before:]
        assert len(posted) == 1  # the Discord job is not Slack's to report
        note = posted[0]
        assert note["channel"] == "C1" and note["thread_ts"] == here.thread
        assert "interrupted" in " ".join(texts(note["blocks"]))
        assert any(b["text"]["text"] == "Retry" for b in buttons(note["blocks"]))
        await resume_jobs(slack.app, slack.runtime)
        assert len(fake.posts()) == before + 1  # reported once
        retry = next(b for b in buttons(note["blocks"]) if b["text"]["text"] == "Retry")
        await slack.click(retry, str(note.result["ts"]))
        await slack.idle()
        again = fake.posts()[-1]
        assert again["channel"] == "C1"
        final = fake.updates_of(str(again.result["ts"]))
        assert final and "Synopsis" in texts(final[-1]["blocks"])[0]


async def test_a_taken_over_job_edits_the_draft_it_had_posted(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    """The dead process had posted its draft ("Writing…"): the survivor turns that very
    message into the note, with Retry, instead of leaving it and posting another."""
    here = Place("slack", TEAM, "C1", None)
    async with open_slack() as slack:
        draft = await slack.app.store.jobs(["running"])
        assert draft == []
        posted = await SlackResponder(slack.runtime, here, "U1").post(
            Reply(title="Synopsis", body="_Writing…_", partial=True)
        )
        job = replace(running_job("j-draft", here), owner=slack.app.lease.id)
        await slack.app.store.save_job(job)
        await slack.app.store.set_job_reply(job.id, encode_handle(posted))
    async with open_slack() as slack:
        before = len(fake.posts())
        await resume_jobs(slack.app, slack.runtime)
        assert len(fake.posts()) == before  # nothing new in the channel
        [edit] = fake.updates_of(posted.id)[-1:]
        assert "interrupted /synopsis" in " ".join(texts(edit["blocks"]))
        assert any(b["text"]["text"] == "Retry" for b in buttons(edit["blocks"]))


async def test_a_job_whose_final_reply_was_out_is_marked_done_not_reported(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    """The dead process had posted the job's final reply but died before its row said
    so: the survivor reads the reply back by its metadata, marks the job done, and says
    nothing (a note would answer the command twice, and claim nothing was saved)."""
    here = Place("slack", TEAM, "C1", None)
    async with open_slack() as slack:
        job = replace(running_job("j-done", here), kind="quick", owner=slack.app.lease.id)
        await slack.app.store.save_job(job)
        posted = await SlackResponder(slack.runtime, here, "U1").post(
            Reply(body="*Logline* is now: a heist on Mars", job=job.id)
        )
    async with open_slack() as slack:
        before, edits = len(fake.posts()), len(fake.calls_to("chat.update"))
        await resume_jobs(slack.app, slack.runtime)
        assert len(fake.posts()) == before
        assert len(fake.calls_to("chat.update")) == edits
        assert fake.updates_of(posted.id) == []
        record = await slack.app.store.job(job.id)
        assert record is not None and record.state == "done"
        [read] = fake.calls_to("conversations.history")[-1:]
        assert read["channel"] == "C1" and read["include_all_metadata"] in ("1", "true", True)


async def test_a_draft_the_row_never_recorded_is_found_by_its_tag_and_edited(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    """The process died after posting a draft but before writing its ts on the job row:
    the survivor finds the draft by its metadata and turns it into the note, instead of
    leaving it "Writing…" and posting a second message."""
    here = Place("slack", TEAM, "C1", None)
    async with open_slack() as slack:
        job = replace(running_job("j-lost", here), owner=slack.app.lease.id)
        await slack.app.store.save_job(job)
        posted = await SlackResponder(slack.runtime, here, "U1").post(
            Reply(title="Synopsis", body="_Writing…_", partial=True, job=job.id)
        )
        other = await SlackResponder(slack.runtime, here, "U1").post(  # another job's final
            Reply(body="*Genre* is now: noir", job="j-other")
        )
    async with open_slack() as slack:
        before = len(fake.posts())
        await resume_jobs(slack.app, slack.runtime)
        assert len(fake.posts()) == before
        [edit] = fake.updates_of(posted.id)[-1:]
        assert "interrupted /synopsis" in " ".join(texts(edit["blocks"]))
        assert fake.updates_of(other.id) == []
        record = await slack.app.store.job(job.id)
        assert record is not None and record.state == "interrupted"


async def test_a_jobs_messages_carry_its_id_and_whether_they_are_final(
    open_slack: OpenSlack, fake: FakeSlack
) -> None:
    """What the survivor reads back is written by every job: a quick command's one reply
    and a draft's placeholder and final edit carry the job's id in Slack metadata."""
    async with open_slack() as slack:
        await slack.command("story", "set logline a heist on Mars")
        await slack.idle()
        await slack.command("synopsis", "short")
        await slack.idle()
        jobs = {j.command: j.id for j in await slack.app.store.jobs(["done"])}
    quick, draft = fake.posts()[-2:]
    assert quick["metadata"] == {
        "event_type": "writersroom_reply",
        "event_payload": {"job": jobs["story set"], "final": True},
    }
    assert draft["metadata"]["event_payload"] == {"job": jobs["synopsis"], "final": False}
    final = fake.updates_of(str(draft.result["ts"]))[-1]
    assert final["metadata"]["event_payload"] == {"job": jobs["synopsis"], "final": True}
