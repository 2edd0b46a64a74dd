"""Survey responses: NPS campaigns, CSAT after solved tickets, onboarding and pulse surveys.
Scores track hidden health with noise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import ids, names
from .activity import ChunkActivity
from .lifecycle import ChunkLifecycle
from .people import People
from .rows import Rows, make_rows
from .support import SolvedTickets
from .timeline import US_PER_DAY, US_PER_HOUR, Timeline

NPS_FIRST_DAY = 20
NPS_EVERY_DAYS = 180
COMMENT_SHARE = 0.35
PULSE_DAYS = 200.0  # an account of n users answers a pulse survey every 200 / sqrt(n) days


@dataclass(frozen=True)
class SurveyInputs:
    chunk: int
    account_id: np.ndarray
    is_test: np.ndarray
    start_day: np.ndarray
    health: np.ndarray
    lifecycle: ChunkLifecycle
    activity: ChunkActivity
    people: People
    solved: SolvedTickets


def _respondents(
    inp: SurveyInputs, acc: np.ndarray, day: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    users_today = np.maximum(inp.activity.users[acc, day], 1)
    rank = np.minimum((users_today * rng.random(len(acc))).astype(np.int64), users_today - 1)
    return inp.people.user_email[inp.people.user_offset[acc] + rank]


def _nps(inp: SurveyInputs, days: int, rng: np.random.Generator):
    acc_l, day_l, who_l = [], [], []
    users = inp.activity.users
    for campaign in range(NPS_FIRST_DAY, days, NPS_EVERY_DAYS):
        for k in np.flatnonzero(users[:, campaign] > 0):
            m = int(users[k, campaign])
            answered = rng.binomial(m, 0.06 + 0.12 * float(inp.health[k, campaign]))
            if answered == 0:
                continue
            ranks = rng.choice(m, answered, replace=False)
            day = campaign + rng.integers(0, 14, answered)
            ok = day < min(days, int(inp.lifecycle.active_to[k]))
            acc_l.append(np.full(ok.sum(), k))
            day_l.append(day[ok])
            who_l.append(inp.people.user_email[inp.people.user_offset[k] + ranks[ok]])
    if not acc_l:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype=object)
    return np.concatenate(acc_l), np.concatenate(day_l), np.concatenate(who_l)


def make_responses(inp: SurveyInputs, timeline: Timeline, rng: np.random.Generator) -> Rows:
    days = timeline.days
    h_all = inp.health
    users = inp.activity.users

    # NPS (0-10) in half-yearly campaigns.
    n_acc, n_day, n_who = _nps(inp, days, rng)
    n_score = np.clip(np.round(rng.normal(0.8 + 9.5 * h_all[n_acc, n_day], 1.7)), 0, 10)
    n_time = timeline.working_time(n_day, rng)

    # Onboarding (1-5) in the first 30 days of accounts that start inside the window.
    new = np.flatnonzero((inp.start_day >= 0) & (inp.lifecycle.active_from < days))
    first = np.minimum(inp.start_day[new] + 7, days - 1)
    count = rng.binomial(
        np.minimum(3, np.maximum(users[new, first], 1)), 0.3 + 0.4 * inp.activity.start_health[new]
    )
    o_acc = np.repeat(new, count)
    o_day = inp.start_day[o_acc] + rng.integers(7, 31, len(o_acc))
    ok = o_day < np.minimum(inp.lifecycle.active_to[o_acc], days)
    o_acc, o_day = o_acc[ok], o_day[ok]
    o_who = _respondents(inp, o_acc, o_day, rng)
    o_score = np.clip(np.round(rng.normal(1 + 4 * inp.activity.start_health[o_acc], 0.7)), 1, 5)
    o_time = timeline.working_time(o_day, rng)

    # Pulse (1-5), now and then.
    rate = np.sqrt(users) / PULSE_DAYS
    counts = rng.poisson(rate)
    p_acc, p_day = np.nonzero(counts)
    p_acc, p_day = np.repeat(p_acc, counts[p_acc, p_day]), np.repeat(p_day, counts[p_acc, p_day])
    p_who = _respondents(inp, p_acc, p_day, rng)
    p_score = np.clip(np.round(rng.normal(1 + 4 * h_all[p_acc, p_day], 0.8)), 1, 5)
    p_time = timeline.working_time(p_day, rng)

    # CSAT (1-5) after solved tickets.
    st = inp.solved
    c_time = st.solved_us + rng.integers(US_PER_HOUR, 2 * US_PER_DAY, len(st.account))
    ok = c_time < timeline.end_us
    c_acc, c_time, c_who = st.account[ok], c_time[ok], st.requester[ok]
    c_mean = 1.2 + 3.6 * st.health[ok] + 0.6 * st.good[ok] - 0.4 * st.slow[ok]
    c_score = np.clip(np.round(rng.normal(c_mean, 0.7)), 1, 5)

    survey = np.concatenate(
        [
            np.full(len(n_acc), "nps", dtype=object),
            np.full(len(c_acc), "csat", dtype=object),
            np.full(len(o_acc), "onboarding", dtype=object),
            np.full(len(p_acc), "pulse", dtype=object),
        ]
    )
    acc = np.concatenate([n_acc, c_acc, o_acc, p_acc]).astype(np.int64)
    who = np.concatenate([n_who, c_who, o_who, p_who])
    score = np.concatenate([n_score, c_score, o_score, p_score]).astype(np.int64)
    submitted = np.concatenate([n_time, c_time, o_time, p_time]).astype(np.int64)
    order = np.argsort(submitted, kind="stable")
    survey, acc, who, score, submitted = (x[order] for x in (survey, acc, who, score, submitted))
    n = len(acc)

    scaled = np.where(survey == "nps", score / 10, (score - 1) / 4)
    band = np.where(scaled < 0.45, "low", np.where(scaled < 0.75, "mid", "high"))
    comment = names.pick_text(names.SURVEY_COMMENTS, band, rng)
    comment[rng.random(n) >= COMMENT_SHARE] = None
    columns = {
        "id": ids.object_ids("response", ids.chunk_keys(inp.chunk, n)),
        "survey": survey,
        "respondent_email": who,
        "account_id": inp.account_id[acc],
        "score": score,
        "comment": comment,
        "submitted_at": submitted,
    }
    return make_rows("survey/response", columns, timeline.batch_of_us(submitted), inp.is_test[acc])
