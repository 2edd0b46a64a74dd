-- Which alerts does the score history raise, and when? One row per alert raised, by the rules of
-- seed alert_rules: the score falls below a threshold, the band goes down, the score drops by N
-- points over a lookback, or a critical flag is raised. A cool-down per account and alert type
-- keeps one cause from alerting again within cooldown_days of its previous occurrence.
-- fct_health_alerts publishes these with the account's current owner.
--
-- Incremental and sparse (no row on most days): a run rewrites the days after the newest day it
-- last computed through (column scored_through) minus var history_lookback_days, or the backfill
-- range, or every day when the scoring or alert configuration changed (macros
-- sparse_rewrite_from_day and sparse_run_days; the pre-hook deletes those days first). It reads
-- those days plus the longest cool-down before them (the candidates a cool-down looks back at),
-- and carries in from every earlier day only when the score was last at or above and last below
-- each level (the hysteresis), as one row per account and level. A full build reads every day
-- and carries nothing.
{%- set cooldown_context = '(select coalesce(max(cooldown_days), 0) + 1 from ' ~ ref('alert_rules') ~ ')' %}
{%- set rewrite_from = sparse_rewrite_from_day('scored_through') %}
with history as {{ inlined_cte() }}(
    select * from {{ ref('fct_account_health_daily') }}
),

read_history as (
    select * from history
    where {{ sparse_run_days('date_day', rewrite_from, context_days=cooldown_context) }}
),

rules as (
    select * from {{ ref('alert_rules') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

-- The days' scores, narrow: a window sorts every column it carries. The alerts raised get their
-- flags, top driver, stage and tier from their day's row at the end.
days as (
    select
        history.account_id,
        history.date_day,
        history.health_score,
        history.health_band,
        history.has_critical_flag,
        lag(history.has_critical_flag) over account_history as had_critical_flag
    from read_history as history
    window account_history as (partition by history.account_id order by history.date_day)
),

-- Score levels a falling score can cross: the threshold of score_below_threshold, and the lowest
-- score of every band but the lowest for band_downgrade (crossing it leaves that band). Each
-- (alert type, score level) numbered (level_id), so the hysteresis window below carries a number.
levels as (
    select
        level_rows.*,
        dense_rank() over (order by level_rows.alert_type, level_rows.score_level) as level_id
    from (
        select
            alert_type,
            cast(threshold as {{ type_double() }}) as score_level,
            cast(null as {{ type_text() }}) as band_left,
            coalesce(cast(hysteresis_points as {{ type_double() }}), 0) as hysteresis_points
        from rules
        where alert_type = 'score_below_threshold'
        union all
        select
            rules.alert_type,
            cast(bands.min_score as {{ type_double() }}) as score_level,
            bands.band as band_left,
            coalesce(cast(rules.hysteresis_points as {{ type_double() }}), 0) as hysteresis_points
        from rules
        cross join bands
        where rules.alert_type = 'band_downgrade'
            and bands.band_order > (select min(lowest.band_order) from bands as lowest)
    ) as level_rows
),

{%- set level_score = 'case when levels.band_left is null then days.health_score else '
    ~ round_half_away('days.health_score') ~ ' end' %}
{%- set at_or_above = '(' ~ level_score ~ ') >= levels.score_level' %}
{%- set below = '(' ~ level_score ~ ') < levels.score_level - levels.hysteresis_points' %}

-- The hysteresis state before the days read: per account and level, whether the last earlier day
-- that was at or above the level or below it by the hysteresis was one at or above it (no rows on
-- a full build, which reads every day).
carried_levels as (
    select
        days.account_id,
        levels.level_id,
        coalesce(
            max(case when {{ at_or_above }} then days.date_day end) > max(case when {{ below }} then days.date_day end),
            max(case when {{ at_or_above }} then days.date_day end) is not null
        ) as was_at_or_above
    from history as days
    cross join levels
    where days.date_day < (select min(read_days.date_day) from read_history as read_days)
    group by days.account_id, levels.level_id
),

-- Hysteresis: a crossing counts when the score falls below the level minus hysteresis_points, and
-- only if it was back at or above the level since it last did, so a score wavering around a band
-- edge alerts once. Band downgrades compare the rounded score, as bands do; with 0 points this is
-- exactly "the band went down against the day before". A day between the two (within the
-- hysteresis) changes nothing, so only the days on either side are kept and each is compared with
-- the one before it (a lag, not a running maximum: half the window's cost). Days before those
-- read: carried_levels.
level_days as (
    select
        days.account_id,
        days.date_day,
        levels.level_id,
        {{ at_or_above }} as is_at_or_above
    from days
    cross join levels
    where {{ at_or_above }} or {{ below }}
),

level_changes as (
    select
        level_days.account_id,
        level_days.date_day,
        level_days.level_id,
        level_days.is_at_or_above,
        coalesce(
            lag(level_days.is_at_or_above) over (
                partition by level_days.account_id, level_days.level_id
                order by level_days.date_day
            ),
            carried_levels.was_at_or_above
        ) as was_at_or_above
    from level_days
    left join carried_levels
        on level_days.account_id = carried_levels.account_id
            and level_days.level_id = carried_levels.level_id
),

-- One crossing a day: a fall through two bands is one downgrade, from the highest band left.
ranked_crossings as (
    select
        level_changes.account_id,
        level_changes.date_day,
        levels.alert_type,
        levels.score_level,
        levels.band_left,
        row_number() over (
            partition by level_changes.account_id, levels.alert_type, level_changes.date_day
            order by levels.score_level desc
        ) as crossing_rank
    from level_changes
    inner join levels on level_changes.level_id = levels.level_id
    where not level_changes.is_at_or_above and level_changes.was_at_or_above
),

crossings as (
    select * from ranked_crossings
    where crossing_rank = 1
),

candidates as (
    select
        days.account_id,
        days.date_day,
        rules.alert_type,
        rules.severity,
        rules.cooldown_days,
        days.health_score,
        -- The critical flag's message names the flags, from the day's row at the end.
        case rules.alert_type
            when 'score_below_threshold'
                then
                    'Score ' || {{ double_text('days.health_score') }}
                    || ' fell below ' || cast(rules.threshold as {{ type_text() }})
            when 'band_downgrade' then 'Band went from ' || crossings.band_left || ' to ' || days.health_band
            when 'score_drop'
                then
                    'Score dropped '
                    || {{ double_text(round_half_away('earlier.health_score - days.health_score', 1)) }}
                    || ' points in ' || cast(rules.lookback_days as {{ type_text() }}) || ' days'
        end as alert_message
    from days
    inner join rules
        on case rules.alert_type
                when 'critical_flag_raised' then days.has_critical_flag and not coalesce(days.had_critical_flag, false)
                else false
            end
            or rules.alert_type in ('score_drop', 'score_below_threshold', 'band_downgrade')
    left join crossings
        on days.account_id = crossings.account_id
            and days.date_day = crossings.date_day
            and rules.alert_type = crossings.alert_type
    left join history as earlier
        on rules.alert_type = 'score_drop'
            and days.account_id = earlier.account_id
            and earlier.date_day = days.date_day - cast(rules.lookback_days as integer)
    where (rules.alert_type in ('score_below_threshold', 'band_downgrade') and crossings.account_id is not null)
        or (rules.alert_type = 'score_drop' and earlier.health_score - days.health_score >= rules.threshold)
        or rules.alert_type = 'critical_flag_raised'
),

-- Cool-down: an alert is raised only when the same account and type had no candidate within
-- the cooldown before it, so a lasting cause alerts once.
cooled as (
    select
        *,
        lag(date_day) over (partition by account_id, alert_type order by date_day) as previous_candidate_on
    from candidates
),

final as (
    select
        {%- set alert_key = "cooled.account_id || '|' || cooled.alert_type || '|' || cast(cooled.date_day as "
            ~ type_text() ~ ")" %}
        {{ dbt.hash(alert_key) }} as alert_id,
        cooled.account_id,
        cooled.date_day as alerted_on,
        cooled.alert_type,
        cooled.severity,
        cooled.health_score,
        case when cooled.alert_type = 'critical_flag_raised' then 'Critical flag raised: ' || day_rows.flags
            else cooled.alert_message
        end as alert_message,
        day_rows.top_driver_down,
        day_rows.lifecycle_stage,
        day_rows.customer_tier,
        -- The newest scored day when this row was computed: where the next run starts from.
        (select max(newest.date_day) from history as newest) as scored_through,
        {{ scoring_config_hash() }} as scoring_config_hash
    from cooled
    inner join history as day_rows
        on cooled.account_id = day_rows.account_id
            and cooled.date_day = day_rows.date_day
    where {{ sparse_run_days('cooled.date_day', rewrite_from) }}
        and (
            cooled.previous_candidate_on is null
            or cooled.previous_candidate_on < cooled.date_day - cast(cooled.cooldown_days as integer)
        )
)

select * from final
