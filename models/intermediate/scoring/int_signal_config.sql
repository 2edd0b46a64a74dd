-- Which signal configuration does this build use? One row: a hash of every seed and var the
-- activity and signal layers read (event areas, stage rules, thresholds, windows). Those layers
-- store it per row (meta config_hash: signal_config_hash, macro scoring_config_hash) and read
-- nothing else of the configuration, so a change of weights, bands, flags, overrides or alert
-- rules is not upstream of them: `dbt build --select health_weights+` re-scores history from the
-- stored signal scores without running a fact or signal model. int_scoring_config builds on it.
{%- set signal_seeds = ['product_event_areas', 'lifecycle_stage_rules', 'signal_thresholds'] %}
{%- set signal_vars = {} %}
{%- for name in [
    'feature_areas', 'activity_window_days', 'trend_window_days', 'survey_window_days', 'nps_window_days',
    'csat_lookback_days', 'deal_lookback_days', 'rating_half_life_days', 'onboarding_contacts_target',
    'onboarding_contacts_window_days', 'min_peer_group_size', 'usage_bands', 'usage_band_above', 'history_start',
    'people_window_days', 'executive_title_pattern', 'signals', 'milestone_events', 'task_types',
    'rating_roles', 'rating_neutral', 'nps_cutoffs', 'survey_score_ranges', 'urgent_ticket_priorities',
    'solved_ticket_statuses', 'satisfied_ratings', 'dissatisfied_ratings',
] %}
    {%- do signal_vars.update({name: var(name)}) %}
{%- endfor %}

-- Each row is hashed from a text written the same way on every engine (macro config_row_text)
-- and the row hashes are sorted (hex digits sort alike under any collation), so DuckDB and
-- Postgres give the same hash for the same configuration.
with parts as (
    {{ config_part_rows(signal_seeds, {'signal_vars': signal_vars}) }}
),

final as (
    select
        md5({{ ordered_string_agg("part || '=' || part_hash", "';'", 'part_order') }}) as signal_config_hash,
        {{ ordered_string_agg("part || '=' || part_hash", "'; '", 'part_order') }} as parts
    from parts
)

select * from final
