"""The daily inactivity sweep (SPEC §9.2), set-based.

Calendar days in the platform time zone: a shop is N days inactive on day D when its last
activity fell on day D − N or earlier. A ban lifted by staff starts a new countdown: the days
count from the lift when it came after the last activity (``Shop.inactive_since``). Stages, per
inactivity episode:

  first reminder  — N ≥ 60 and no open episode (the episode opens here)
  delisted        — 7 days after the first reminder: live products delisted, investigation period
  second reminder — N ≥ 90, the day after the delisting at the earliest
  banned          — 7 days after the second reminder; with a store deposit: ``ban_waived``
                    (no ban, products stay delisted)

Each stage is one conditional UPDATE (or INSERT … SELECT) over the episodes due — the claim —
then one INSERT … SELECT of the notices, unique per (shop, episode, stage), so a re-run that day
or later sends nothing twice. Stages run last-to-first so a shop moves at most one stage per
run: a shop first found at day 69 gets its reminder and is delisted 7 days later, never
without warning. The whole run is one transaction holding a PostgreSQL advisory lock for its
date (two beats sweep once; a run killed half-way leaves nothing half-done), and the emails
are fanned out in chunks to Celery after commit. Unsent emails (a worker died) are queued
again by the next run.

sweep: the run and its stages; emails: the notices' emails.
"""
