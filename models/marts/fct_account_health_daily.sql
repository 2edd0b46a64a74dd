-- The daily health history BI tools read: one row per (account_id, date_day) with the score
-- (after any manual override), band, movement, coverage, the weights in force, the score with
-- today's weights, dimension scores, the top driver down and flags (the latest day's drivers:
-- dim_account_health). Incremental: a run rewrites the days from the newest stored day minus var
-- history_lookback_days (late data), or exactly the days from var backfill_start to var
-- backfill_end; re-running the same as-of changes nothing.
with health as {{ inlined_cte() }}(
    select * from {{ ref('int_account_health_daily') }}
    where {{ in_run_days('date_day') }}
),

flag_rules as (
    select * from {{ ref('health_flags') }}
),

signal_rule_hits as (
    select * from {{ ref('int_account_flag_hits_daily') }}
    where {{ in_run_days('date_day') }}
),

-- The flags of the days written: the rule hits (macro flag_rule_rows, the rows macro
-- account_flags and int_account_flags_daily group per flag) as one bit per flag name (macro
-- flag_bits) or-ed per account-day, and each distinct set of bits named once. A string aggregate
-- over every account-day's flags took 15 of this model's 25 operator-seconds at 20,000 accounts.
flag_rule_rows as (
    {{ flag_rule_rows('signal_rule_hits', 'health', 'flag_rules') }}
),

flag_bits as (
    {{ flag_bits('flag_rules') }}
),

day_flag_sets as (
    select
        flag_rule_rows.account_id,
        flag_rule_rows.date_day,
        {{ bit_set_agg("flag_bits.flag_bit") }} as flag_set,
        -- A flag's severity is the first of its rules that hit: critical when any critical hit.
        bool_or(flag_rule_rows.severity = 'critical') as has_critical_flag
    from flag_rule_rows
    inner join flag_bits on flag_rule_rows.flag_name = flag_bits.flag_name
    group by flag_rule_rows.account_id, flag_rule_rows.date_day
),

flag_set_names as (
    select
        flag_sets.flag_set,
        {{ ordered_string_agg('flag_bits.flag_name', "', '", 'flag_bits.flag_name') }} as flags,
        count(*) as count_flags
    from (select distinct flag_set from day_flag_sets) as flag_sets
    inner join flag_bits on (flag_sets.flag_set & flag_bits.flag_bit) <> 0
    group by flag_sets.flag_set
),

flags as (
    select
        day_flag_sets.account_id,
        day_flag_sets.date_day,
        flag_set_names.flags,
        flag_set_names.count_flags,
        day_flag_sets.has_critical_flag
    from day_flag_sets
    inner join flag_set_names on day_flag_sets.flag_set = flag_set_names.flag_set
),

overrides as (
    select * from {{ ref('int_health_overrides') }}
),

bands as (
    select * from {{ ref('health_bands') }}
),

-- The override in force on each account-day an override covers: the newest when two overlap.
-- Only those few account-days are ranked; every other day is joined to nothing.
override_candidates as (
    select
        health.account_id,
        health.date_day,
        overrides.override_score,
        overrides.override_band,
        overrides.reason as override_reason,
        overrides.author as override_author,
        row_number() over (
            partition by health.account_id, health.date_day order by overrides.starts_on desc nulls last
        ) as override_rank
    from health
    inner join overrides
        on health.account_id = overrides.account_id
            and health.date_day >= overrides.starts_on
            and (overrides.expires_on is null or health.date_day <= overrides.expires_on)
),

override_days as (
    select * from override_candidates
    where override_rank = 1
),

with_override as (
    select
        health.*,
        override_days.override_score,
        override_days.override_band,
        override_days.override_reason,
        override_days.override_author
    from health
    left join override_days
        on health.account_id = override_days.account_id
            and health.date_day = override_days.date_day
),

final as (
    select
        with_override.account_id,
        with_override.date_day,
        with_override.lifecycle_stage,
        with_override.customer_tier,
        with_override.contract_type,
        with_override.usage_band,
        with_override.health_band as computed_health_band,
        with_override.previous_health_band,
        with_override.weights_effective_from,
        with_override.weights_tier,
        with_override.override_reason,
        with_override.override_author,
        with_override.top_driver_down,
        flags.flags,
        {{ round_half_away('coalesce(with_override.override_score, with_override.health_score)', 1) }} as health_score,
        coalesce(with_override.override_band, override_bands.band, with_override.health_band) as health_band,
        {{ round_half_away('with_override.health_score', 1) }} as computed_health_score,
        {{ round_half_away('with_override.score_change_7d', 1) }} as score_change_7d,
        {{ round_half_away('with_override.score_change_30d', 1) }} as score_change_30d,
        {{ round_half_away('with_override.coverage', 3) }} as coverage,
        {{ round_half_away('with_override.health_score_current_weights', 1) }} as health_score_current_weights,
        with_override.override_score is not null or with_override.override_band is not null
            as is_override_applied,
        {%- for dimension in var('signals') %}
            {{ round_half_away('with_override.score_' ~ dimension, 1) }} as score_{{ dimension }},
        {%- endfor %}
        coalesce(flags.count_flags, 0) as count_flags,
        coalesce(flags.has_critical_flag, false) as has_critical_flag,
        {{ scoring_config_hash() }} as scoring_config_hash
    from with_override
    left join bands as override_bands
        on with_override.override_band is null
            and with_override.override_score is not null
            and {{ in_score_band('with_override.override_score', 'override_bands') }}
    left join flags
        on with_override.account_id = flags.account_id
            and with_override.date_day = flags.date_day
)

select * from final
