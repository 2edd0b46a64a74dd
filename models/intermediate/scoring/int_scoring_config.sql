-- Which scoring configuration does this build use? One row: a hash of every seed and var that
-- can change a stored score, signal or driver, and a hash of the part the signal layer reads.
-- Each row of the daily chain stores the hash its layer depends on (macro scoring_config_hash),
-- and a daily run whose configuration differs from the stored rows' rewrites every day (macro
-- in_run_days). So a changed threshold or window recomputes the signals, while a changed weight,
-- band, flag rule or override re-scores history from the stored signal scores alone.
{%- set signal_seeds = ['product_event_areas', 'lifecycle_stage_rules', 'signal_thresholds'] %}
{%- set scoring_seeds = [var('scenario') or 'health_weights', 'health_bands', 'health_flags', 'health_overrides'] %}
{#- Alert rules change which alerts are raised, not a stored score: only the alerts' hash. #}
{%- set alert_seeds = ['alert_rules'] %}
{%- set signal_vars = {} %}
{%- for name in [
    'feature_areas', 'activity_window_days', 'trend_window_days', 'survey_window_days', 'nps_window_days',
    'csat_lookback_days', 'deal_lookback_days', 'rating_half_life_days', 'onboarding_contacts_target',
    'onboarding_contacts_window_days', 'min_peer_group_size', 'usage_bands', 'usage_band_above', 'history_start',
    'people_window_days', 'executive_title_pattern', 'signals', 'milestone_events', 'task_types',
] %}
    {%- do signal_vars.update({name: var(name)}) %}
{%- endfor %}
{%- set scoring_vars = {} %}
{%- for name in ['churned_day_weights_stage', 'drivers_top_n', 'scenario'] %}
    {%- do scoring_vars.update({name: var(name)}) %}
{%- endfor %}

-- Each row is hashed from a text written the same way on every engine (macro config_row_text)
-- and the row hashes are sorted (hex digits sort alike under any collation), so DuckDB and
-- Postgres give the same hashes for the same configuration.
with parts as (
    {%- for seed in signal_seeds + scoring_seeds + alert_seeds %}
        select
            '{{ seed }}' as part,
            {{ loop.index }} as part_order,
            {{ 'true' if seed in signal_seeds else 'false' }} as is_signal_part,
            {{ 'true' if seed in alert_seeds else 'false' }} as is_alert_part,
            {%- set row_hash = 'md5(' ~ config_row_text(ref(seed), 'config_rows') ~ ')' %}
            md5(coalesce({{ ordered_string_agg(row_hash, 'chr(10)', row_hash) }}, '')) as part_hash
        from {{ ref(seed) }} as config_rows  -- noqa: AL05
        union all
    {%- endfor %}
    select
        'signal_vars' as part,
        {{ (signal_seeds + scoring_seeds + alert_seeds) | length + 1 }} as part_order,
        true as is_signal_part,
        false as is_alert_part,
        md5({{ sql_string(tojson(signal_vars, sort_keys=true)) }}) as part_hash
    union all
    select
        'vars' as part,
        {{ (signal_seeds + scoring_seeds + alert_seeds) | length + 2 }} as part_order,
        false as is_signal_part,
        false as is_alert_part,
        md5({{ sql_string(tojson(scoring_vars, sort_keys=true)) }}) as part_hash
),

final as (
    select
        md5({{ ordered_string_agg("part || '=' || part_hash", "';'", 'part_order', 'not is_alert_part') }})
            as scoring_config_hash,
        md5({{ ordered_string_agg("part || '=' || part_hash", "';'", 'part_order', 'is_signal_part') }})
            as signal_config_hash,
        md5({{ ordered_string_agg("part || '=' || part_hash", "';'", 'part_order') }}) as alert_config_hash,
        {{ ordered_string_agg("part || '=' || part_hash", "'; '", 'part_order') }} as parts
    from parts
)

select * from final
