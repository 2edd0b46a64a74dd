-- Which scoring configuration does this build use? One row: a hash of every seed and var that
-- can change a stored score, signal or driver. Each row of the daily chain stores it, and a daily
-- run whose configuration differs from the stored rows' rewrites every day (macro in_run_days),
-- so a changed weight, threshold, band, flag rule or override never leaves stale history.
{%- set config_seeds = [
    'product_event_areas', 'lifecycle_stage_rules', 'signal_thresholds', var('scenario') or 'health_weights',
    'health_bands', 'health_flags', 'health_overrides',
] %}
{%- set config_vars = {} %}
{%- for name in [
    'feature_areas', 'activity_window_days', 'trend_window_days', 'survey_window_days', 'nps_window_days',
    'csat_lookback_days', 'deal_lookback_days', 'rating_half_life_days', 'onboarding_contacts_target',
    'onboarding_contacts_window_days', 'min_peer_group_size', 'usage_bands', 'churned_day_weights_stage',
    'drivers_top_n', 'history_start', 'scenario', 'people_window_days', 'executive_title_pattern',
] %}
    {%- do config_vars.update({name: var(name)}) %}
{%- endfor %}

with parts as (
    {%- for seed in config_seeds %}
        select
            '{{ seed }}' as part,
            md5(coalesce(string_agg(cast(config_rows as varchar), chr(10) order by cast(config_rows as varchar)), ''))
                as part_hash
        from {{ ref(seed) }} as config_rows  -- noqa: AL05
        union all
    {%- endfor %}
    select
        'vars' as part,
        md5('{{ tojson(config_vars, sort_keys=true) | replace("'", "''") }}') as part_hash
),

final as (
    select
        md5(string_agg(part || '=' || part_hash, ';' order by part)) as scoring_config_hash,
        string_agg(part || '=' || part_hash, '; ' order by part) as parts
    from parts
)

select * from final
