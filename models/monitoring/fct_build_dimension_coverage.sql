-- How much of each dimension's configured weight had data on the as-of day, build after build?
-- One row per (build, dimension): appended by every run that builds it and kept by
-- --full-refresh, so the guards guard_dimension_coverage_{warn,error} can compare a build with the
-- last accepted one. A signal of a source declared absent (missing_reason source_not_configured)
-- counts neither as present nor as configured: turning a source off is not a collapse.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}
{%- set baseline_days = var('guard_coverage_baseline_days') %}
{%- set is_accepted = 'true' if var('guard_coverage_accept') else 'false' %}
{%- set days_before_label = "'" ~ baseline_days ~ " days before the as-of date'" %}
{#- Earlier builds' rows; on the first build an empty relation of the same columns, so the SQL
    (and its lint) is the same whether or not the table exists yet. #}
{%- set stored_builds = this if is_incremental() else
    '(select cast(null as ' ~ dbt.type_string() ~ ') as dimension, cast(null as ' ~ type_double() ~ ') as coverage,'
    ~ ' cast(null as ' ~ dbt.type_timestamp() ~ ') as built_at,'
    ~ ' false as is_baseline where false)' %}

with as_of as (
    select * from {{ ref('int_as_of_date') }}
),

measured_days as (
    select
        as_of_on as date_day,
        true as is_as_of_day
    from as_of
    union all
    select
        as_of_on - {{ baseline_days }} as date_day,
        false as is_as_of_day
    from as_of
),

-- The two days as literals when the as-of day is known (macro stored_as_of_day): read through the
-- long signal views, a subquery would be joined to every account-day of all their signals. The
-- range between them is what DuckDB pushes into every table those views read (a list of two days
-- reaches only some); the list then keeps the two days.
{%- set as_of_day = stored_as_of_day() %}
{%- if as_of_day is none %}
    {%- set in_measured_days = 'date_day in (select measured_days.date_day from measured_days)' %}
{%- else %}
    {%- set baseline_day = as_of_day ~ ' - ' ~ baseline_days %}
    {%- set in_measured_days = 'date_day between ' ~ baseline_day ~ ' and ' ~ as_of_day
        ~ ' and date_day in (' ~ as_of_day ~ ', ' ~ baseline_day ~ ')' %}
{%- endif %}

contributions as (
    select * from {{ ref('int_account_signal_contributions') }}
    where {{ in_measured_days }}
),

configured as (
    select
        contributions.account_id,
        contributions.date_day,
        contributions.dimension,
        contributions.signal_name,
        contributions.is_missing,
        contributions.configured_weight_share,
        measured_days.is_as_of_day
    from contributions
    inner join measured_days on contributions.date_day = measured_days.date_day
    where coalesce(contributions.missing_reason, '') != 'source_not_configured'
),

-- Signals of a dimension that no account had on the as-of day: what to look at when it collapses.
signal_presence as (
    select
        dimension,
        signal_name,
        bool_or(not is_missing) as is_present_anywhere
    from configured
    where is_as_of_day
    group by dimension, signal_name
),

dimension_days as (
    select
        dimension,
        count(distinct account_id) filter (where is_as_of_day) as count_accounts,
        -- No present signal is a coverage of 0, not null (sum over no row is null).
        coalesce(sum(configured_weight_share) filter (where is_as_of_day and not is_missing), 0)
        / nullif(sum(configured_weight_share) filter (where is_as_of_day), 0) as coverage,
        coalesce(sum(configured_weight_share) filter (where not is_as_of_day and not is_missing), 0)
        / nullif(sum(configured_weight_share) filter (where not is_as_of_day), 0) as coverage_days_before
    from configured
    group by dimension
),

-- The newest accepted coverage of each dimension from earlier builds.
ranked_builds as (
    select
        stored_builds.dimension,
        stored_builds.coverage,
        stored_builds.built_at,
        row_number() over (partition by stored_builds.dimension order by stored_builds.built_at desc) as build_rank
    from {{ stored_builds }} as stored_builds
    where stored_builds.is_baseline and stored_builds.coverage is not null
),

stored_baselines as (
    select
        dimension,
        coverage,
        built_at
    from ranked_builds
    where build_rank = 1
),

compared as (
    select
        dimension_days.dimension,
        dimension_days.count_accounts,
        dimension_days.coverage,
        coalesce(stored_baselines.coverage, dimension_days.coverage_days_before) as baseline_coverage,
        case
            when stored_baselines.coverage is not null
                then 'build of ' || substr(cast(stored_baselines.built_at as {{ type_text() }}), 1, 16)
            when dimension_days.coverage_days_before is not null then {{ days_before_label }}
        end as baseline_source,
        (
            select {{ ordered_string_agg('signal_presence.signal_name', "', '", 'signal_presence.signal_name') }}
            from signal_presence
            where signal_presence.dimension = dimension_days.dimension
                and not signal_presence.is_present_anywhere
        ) as signals_missing_everywhere
    from dimension_days
    left join stored_baselines on dimension_days.dimension = stored_baselines.dimension
),

final as (
    select
        '{{ invocation_id }}' as build_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as built_at,
        as_of.as_of_on,
        compared.dimension,
        compared.count_accounts,
        compared.coverage,
        compared.baseline_coverage,
        compared.baseline_source,
        compared.baseline_coverage - compared.coverage as coverage_drop,
        compared.signals_missing_everywhere,
        {{ is_accepted }} as is_accepted,
        {{ is_accepted }}
        or coalesce(compared.baseline_coverage - compared.coverage, 0) <= {{ var('guard_max_coverage_drop_error') }}
            as is_baseline
    from compared
    cross join as_of
)

select * from final
