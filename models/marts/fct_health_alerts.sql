-- Which alerts should reach a CSM, and when? One row per alert raised, by the rules of seed
-- alert_rules: the score falls below a threshold, the band goes down, the score drops by N
-- points over a lookback, or a critical flag is raised. A cool-down per account and alert type
-- keeps one cause from alerting again within cooldown_days of its previous occurrence.
with history as (
    select * from {{ ref('fct_account_health_daily') }}
),

rules as (
    select * from {{ ref('alert_rules') }}
),

bands as (
    select * from {{ ref('health_bands') }}
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
        bands.band_order,
        lag(history.health_score) over account_history as previous_score,
        lag(bands.band_order) over account_history as previous_band_order,
        lag(history.health_band) over account_history as previous_band,
        lag(history.has_critical_flag) over account_history as had_critical_flag
    from history
    left join bands on history.health_band = bands.band
    window account_history as (partition by history.account_id order by history.date_day)
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
                    'Score ' || cast(days.health_score as varchar) || ' fell below ' || cast(rules.threshold as varchar)
            when 'band_downgrade' then 'Band went from ' || days.previous_band || ' to ' || days.health_band
            when 'score_drop'
                then
                    'Score dropped ' || cast(round(earlier.health_score - days.health_score, 1) as varchar)
                    || ' points in ' || cast(rules.lookback_days as varchar) || ' days'
            when 'critical_flag_raised' then 'Critical flag raised: ' || days.flags
        end as alert_message
    from days
    inner join rules
        on case rules.alert_type
                when 'score_below_threshold'
                    then
                        days.health_score < rules.threshold and days.previous_score >= rules.threshold
                when 'band_downgrade' then days.band_order < days.previous_band_order
                when 'critical_flag_raised' then days.has_critical_flag and not coalesce(days.had_critical_flag, false)
                else false
            end
            or rules.alert_type = 'score_drop'
    left join history as earlier
        on rules.alert_type = 'score_drop'
            and days.account_id = earlier.account_id
            and earlier.date_day = days.date_day - cast(rules.lookback_days as integer)
    where rules.alert_type != 'score_drop'
        or earlier.health_score - days.health_score >= rules.threshold
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
        {{ dbt.hash("account_id || '|' || alert_type || '|' || cast(date_day as varchar)") }} as alert_id,
        account_id,
        date_day as alerted_on,
        alert_type,
        severity,
        health_score,
        alert_message,
        top_driver_down,
        lifecycle_stage,
        customer_tier
    from cooled
    where previous_candidate_on is null
        or previous_candidate_on < date_day - cast(cooldown_days as integer)
)

select * from final
