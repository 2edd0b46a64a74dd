-- Which scoring configuration does this build use? One row: a hash of every seed and var that
-- can change a stored score or top driver, on top of the signal configuration (int_signal_config);
-- one that adds the alert rules; and one of the signal configuration and the flag rules alone
-- (what the flags' signal rule hits depend on: a change of weights leaves them stored). Each row
-- of the composite layer stores the hash it depends on (macro scoring_config_hash), and a daily
-- run whose configuration differs from the stored rows' rewrites every day (macro in_run_days).
-- So a changed weight, band, flag rule or override re-scores history from the stored signal
-- scores alone, and a changed threshold or window (which changes the signal hash, a part of this
-- one) recomputes the signals too. The weight sets in force on the as-of date are a part of their
-- own: every stored day's score with today's weights is computed with them, so the daily run whose
-- as-of date reaches a set's effective_from (a calibration proposal adopted the day before takes
-- effect the day after the as-of date) re-scores history, as an edit of the seed does.
{%- set scoring_seeds = [var('scenario') or 'health_weights', 'health_bands', 'health_flags', 'health_overrides'] %}
{#- Alert rules change which alerts are raised, not a stored score: only the alerts' hash. #}
{%- set alert_seeds = ['alert_rules'] %}
{%- set scoring_vars = {} %}
{#- Not the drivers' vars: the drivers' labels are not stored for every day. They are a part of
    the drivers' own hash, which int_account_health_movers (one row per account) stores. #}
{%- for name in ['churned_day_weights_stage', 'scenario'] %}
    {%- do scoring_vars.update({name: var(name)}) %}
{%- endfor %}
{%- set driver_vars = {} %}
{%- for name in ['drivers_top_n', 'driver_change_days'] %}
    {%- do driver_vars.update({name: var(name)}) %}
{%- endfor %}
{#- The sets in force on the as-of date: a part of the scoring hash, not of the alerts' (below). #}
{%- set current_sets_part = 'current_weight_sets' %}

with signal_config as (
    select * from {{ ref('int_signal_config') }}
),

weights as (
    select * from {{ ref('int_health_weights') }}
),

-- Which set of each stage and tier is in force on the as-of date (int_health_weights, by the rule
-- the composite picks each day's set with; its current sets are picked from these).
current_weight_sets as (
    select distinct
        lifecycle_stage || '|' || customer_tier || '|' || cast(effective_from as {{ type_text() }}) as set_key
    from weights
    where is_in_force_on_as_of
),

-- The signal configuration as the first part, then the scoring seeds, the alert rules and the
-- scoring vars (macro config_part_rows; hashed alike on every engine, as int_signal_config), and
-- last the sets in force on the as-of date.
parts as (
    select
        'signals' as part,
        0 as part_order,
        false as is_alert_part,
        signal_config_hash as part_hash
    from signal_config
    union all
    {{ config_part_rows(scoring_seeds, {'vars': scoring_vars}, alert_seeds) }}
    union all
    select
        '{{ current_sets_part }}' as part,
        -- After every part config_part_rows numbers (from 1, one per seed and var group).
        1000 as part_order,
        false as is_alert_part,
        md5(coalesce({{ ordered_string_agg('set_key', "';'", 'set_key') }}, '')) as part_hash
    from current_weight_sets
),

config_hashes as (
    select
        md5({{ ordered_string_agg("part || '=' || part_hash", "';'", 'part_order', 'not is_alert_part') }})
            as scoring_config_hash,
        md5({{ ordered_string_agg(
            "part || '=' || part_hash", "';'", 'part_order', "part in ('signals', 'health_flags')"
        ) }}) as flag_config_hash,
        -- Alerts read the scores with the weights in force, not those with today's weights.
        md5({{ ordered_string_agg(
            "part || '=' || part_hash", "';'", 'part_order', "part != '" ~ current_sets_part ~ "'"
        ) }}) as alert_config_hash,
        {{ ordered_string_agg("part || '=' || part_hash", "'; '", 'part_order') }} as parts
    from parts
),

-- The drivers' labels: the scoring configuration and the drivers' vars.
final as (
    select
        scoring_config_hash,
        flag_config_hash,
        alert_config_hash,
        md5(
            scoring_config_hash || ';drivers=' || md5({{ sql_string(tojson(driver_vars, sort_keys=true)) }})
        ) as driver_config_hash,
        parts
    from config_hashes
)

select * from final
