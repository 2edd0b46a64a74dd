-- Which alerts should reach a CSM, and when? One row per alert raised, by the rules of seed
-- alert_rules: the score falls below a threshold, the band goes down, the score drops by N
-- points over a lookback, or a critical flag is raised. A cool-down per account and alert type
-- keeps one cause from alerting again within cooldown_days of its previous occurrence, and the
-- alert carries the account's owner (int_account_owners) so it can be routed to the CSM.
with history as (
    select * from {{ ref('fct_account_health_daily') }}
),

rules as (
    select * from {{ ref('alert_rules') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

owners as (
    select * from {{ ref('int_account_owners') }}
),

days as (
    select
        history.account_id,
        history.date_day,
        history.health_score,
        history.health_band,
        history.has_critical_flag,
        history.flags,
        history.top_driver_down,
        history.lifecycle_stage,
        history.customer_tier,
        lag(history.has_critical_flag) over account_history as had_critical_flag
    from history
    window account_history as (partition by history.account_id order by history.date_day)
),

-- Score levels a falling score can cross: the threshold of score_below_threshold, and the lowest
-- score of every band but the lowest for band_downgrade (crossing it leaves that band).
levels as (
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
),

-- Hysteresis: a crossing counts when the score falls below the level minus hysteresis_points, and
-- only if it was back at or above the level since it last did, so a score wavering around a band
-- edge alerts once. Band downgrades compare the rounded score, as bands do; with 0 points this is
-- exactly "the band went down against the day before".
level_days as (
    select
        days.account_id,
        days.date_day,
        levels.alert_type,
        levels.score_level,
        levels.band_left,
        levels.hysteresis_points,
        {%- set level_score = 'case when levels.band_left is null then days.health_score else '
            ~ round_half_away('days.health_score') ~ ' end' %}
        {{ level_score }} as level_score,
        max(
            case
                when ({{ level_score }})
                    >= levels.score_level
                    then days.date_day
            end
        ) over level_history as last_at_or_above_on,
        max(
            case
                when ({{ level_score }})
                    < levels.score_level - levels.hysteresis_points
                    then days.date_day
            end
        ) over level_history as last_below_on
    from days
    cross join levels
    window level_history as (
        partition by days.account_id, levels.alert_type, levels.score_level
        order by days.date_day rows between unbounded preceding and 1 preceding
    )
),

-- One crossing a day: a fall through two bands is one downgrade, from the highest band left.
ranked_crossings as (
    select
        account_id,
        date_day,
        alert_type,
        score_level,
        band_left,
        hysteresis_points,
        row_number() over (
            partition by account_id, alert_type, date_day order by score_level desc
        ) as crossing_rank
    from level_days
    where level_score < score_level - hysteresis_points
        and last_at_or_above_on is not null
        and (last_below_on is null or last_below_on < last_at_or_above_on)
),

crossings as (
    select
        account_id,
        date_day,
        alert_type,
        score_level,
        band_left,
        hysteresis_points
    from ranked_crossings
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
        days.top_driver_down,
        days.lifecycle_stage,
        days.customer_tier,
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
            when 'critical_flag_raised' then 'Critical flag raised: ' || days.flags
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
        cooled.alert_message,
        cooled.top_driver_down,
        cooled.lifecycle_stage,
        cooled.customer_tier,
        owners.owner_user_id
    from cooled
    left join owners on cooled.account_id = owners.account_id
    where cooled.previous_candidate_on is null
        or cooled.previous_candidate_on < cooled.date_day - cast(cooled.cooldown_days as integer)
)

select * from final
