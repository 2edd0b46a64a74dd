-- Which scoring configuration does this build use? One row: a hash of every seed and var that
-- can change a stored score or driver, on top of the signal configuration (int_signal_config);
-- one that adds the alert rules; and one of the signal configuration and the flag rules alone
-- (what the flags' signal rule hits depend on: a change of weights leaves them stored). Each row
-- of the composite layer stores the hash it depends on (macro scoring_config_hash), and a daily
-- run whose configuration differs from the stored rows' rewrites every day (macro in_run_days).
-- So a changed weight, band, flag rule or override re-scores history from the stored signal
-- scores alone, and a changed threshold or window (which changes the signal hash, a part of this
-- one) recomputes the signals too.
{%- set scoring_seeds = [var('scenario') or 'health_weights', 'health_bands', 'health_flags', 'health_overrides'] %}
{#- Alert rules change which alerts are raised, not a stored score: only the alerts' hash. #}
{%- set alert_seeds = ['alert_rules'] %}
{%- set scoring_vars = {} %}
{%- for name in ['churned_day_weights_stage', 'drivers_top_n', 'scenario'] %}
    {%- do scoring_vars.update({name: var(name)}) %}
{%- endfor %}

with signal_config as (
    select * from {{ ref('int_signal_config') }}
),

-- The signal configuration as the first part, then the scoring seeds, the alert rules and the
-- scoring vars (macro config_part_rows; hashed alike on every engine, as int_signal_config).
parts as (
    select
        'signals' as part,
        0 as part_order,
        false as is_alert_part,
        signal_config_hash as part_hash
    from signal_config
    union all
    {{ config_part_rows(scoring_seeds, {'vars': scoring_vars}, alert_seeds) }}
),

final as (
    select
        md5({{ ordered_string_agg("part || '=' || part_hash", "';'", 'part_order', 'not is_alert_part') }})
            as scoring_config_hash,
        md5({{ ordered_string_agg(
            "part || '=' || part_hash", "';'", 'part_order', "part in ('signals', 'health_flags')"
        ) }}) as flag_config_hash,
        md5({{ ordered_string_agg("part || '=' || part_hash", "';'", 'part_order') }}) as alert_config_hash,
        {{ ordered_string_agg("part || '=' || part_hash", "'; '", 'part_order') }} as parts
    from parts
)

select * from final
