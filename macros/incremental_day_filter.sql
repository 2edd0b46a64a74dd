{#- Which days an incremental run rewrites: exactly var backfill_start..backfill_end when set,
    else the days after the newest stored day minus var history_lookback_days (late-arriving
    data). `context_days` widens the range backwards for models that look at earlier days (a
    lag over 30 days reads 30 more days, then keeps only the rewritten ones). The newest stored
    day is read from the model's own table (column date_day), so every model of the daily chain
    catches up on its own after a missed run. Rendered on one line so the model lints the same
    whether or not the table exists yet. -#}
{% macro incremental_day_filter(day_column, context_days=0) -%}
    {%- if var('backfill_start', none) -%}
        {{ day_column }} between cast('{{ var("backfill_start") }}' as date) - {{ context_days }} and cast('{{ var("backfill_end", var("backfill_start")) }}' as date)
    {%- else -%}
        {{ day_column }} > (select coalesce(max(date_day), cast('1900-01-01' as date)) - {{ var('history_lookback_days') + context_days }} from {{ this }})
    {%- endif -%}
{%- endmacro %}


{#- The days a model of the daily chain computes, as a condition: every day on a full build (or
    a first run); on a daily run the range above, or every day again when the scoring
    configuration (int_scoring_config) differs from the one the stored rows were made with. -#}
{% macro in_run_days(day_column, context_days=0) -%}
    {%- set config_hash = scoring_config_hash() -%}
    {%- if is_incremental() -%}
        ({{ incremental_day_filter(day_column, context_days) }} or exists (select 1 from {{ this }} as stored where stored.scoring_config_hash != {{ config_hash }}))
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- The hash of this build's scoring configuration, for the daily chain's column
    scoring_config_hash (and the check above). -#}
{% macro scoring_config_hash() -%}
    (select config.scoring_config_hash from {{ ref('int_scoring_config') }} as config)
{%- endmacro %}
