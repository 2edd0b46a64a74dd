{#- What-if: the health an account would have on its latest scored day if some of its signals had
    other values, computed by the build's own SQL. `changes` is a relation or CTE with columns
    account_id, signal_name, signal_value (several signals of an account may change; a null value
    makes the signal missing). The days concerned are scored again from the stored measures of
    every account (peer groups are whole days) with the changed values put in, by macro
    score_signals for every dimension, joined by macro wide_signal_scores, and the changed
    accounts' composites by macro score_health: the same macros int_signals_<dimension>,
    int_account_signal_scores and int_account_health_daily are built with. With every value as
    stored it gives the stored scores, bands, coverage and drivers.
    One row per change: the signal before (stored) and after (value, absolute, peer and blended
    score), its weight in force, and the account's health before (int_account_health_daily) and
    after (score, band, coverage, dimension scores, drivers: before as int_account_health_movers
    stored them for the latest day). -#}
{% macro what_if_health(changes) %}
    {%- set signals = var('signals') %}
    {%- set signal_names = scoring_signal_names() %}
with changes as (
    select
        cast(account_id as {{ type_text() }}) as account_id,
        cast(signal_name as {{ type_text() }}) as signal_name,
        cast(signal_value as {{ type_double() }}) as signal_value
    from {{ changes }}
),

latest_days as (
    select
        account_id,
        max(date_day) as date_day
    from {{ ref('int_account_health_daily') }}
    where account_id in (select changes.account_id from changes)
    group by account_id
),

-- Each changed account on its latest scored day, with its changed values side by side.
targets as (
    select
        latest_days.account_id,
        latest_days.date_day,
        {%- for signal_name in signal_names %}
        bool_or(changes.signal_name = '{{ signal_name }}') as {{ signal_name }}__is_changed,
        max(changes.signal_value) filter (where changes.signal_name = '{{ signal_name }}')
            as {{ signal_name }}__changed_value{% if not loop.last %},{% endif %}
        {%- endfor %}
    from latest_days
    inner join changes on latest_days.account_id = changes.account_id
    group by latest_days.account_id, latest_days.date_day
),
{%- set rescored = {} %}
{%- for dimension, names in signals.items() %}
    {%- set reasons = {} %}
    {%- for signal_name in names %}{% do reasons.update({signal_name: signal_name ~ '__missing_reason'}) %}{% endfor %}
    {%- do rescored.update({dimension: dimension ~ '__rescored'}) %}

-- The {{ dimension }} measures of every account on those days as stored, the changed ones put in.
{{ dimension }}__measures as (
    select
        stored.account_id,
        stored.date_day,
        {%- for signal_name in names %}
        case when targets.{{ signal_name }}__is_changed then targets.{{ signal_name }}__changed_value
            else stored.{{ signal_name }}__value
        end as {{ signal_name }},
        case when not coalesce(targets.{{ signal_name }}__changed_value is not null, false)
                then stored.{{ signal_name }}__missing_reason
        end as {{ signal_name }}__missing_reason{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('int_signals_' ~ dimension) }} as stored
    left join targets
        on stored.account_id = targets.account_id
            and stored.date_day = targets.date_day
    where stored.date_day in (select targets.date_day from targets)
),

{{ dimension }}__rescored as (
    {{ score_signals(dimension ~ '__measures', reasons, dimension) }}
),
{%- endfor %}

rescored_signal_scores as (
    {{ wide_signal_scores(rescored) }}
),

what_if_signal_scores as (
    select rescored_signal_scores.*
    from rescored_signal_scores
    inner join targets
        on rescored_signal_scores.account_id = targets.account_id
            and rescored_signal_scores.date_day = targets.date_day
),

what_if_stages as (
    select stages.*
    from {{ ref('int_account_stage_daily') }} as stages
    inner join targets
        on stages.account_id = targets.account_id
            and stages.date_day = targets.date_day
),

what_if_health as (
    {{ score_health(
        'what_if_signal_scores', 'what_if_stages', ref('int_health_weights'), ref('int_as_of_date'),
        ref('health_bands')) }}
),

-- The drivers after, labelled from the re-scored signals' contributions (macros
-- signal_contributions and signal_driver_labels, as int_account_health_movers labels the stored
-- latest day's drivers, read below as the drivers before).
what_if_signals as (
    {{ long_signal_scores('what_if_signal_scores', stored=true) }}
),

what_if_contributions as (
    {{ signal_contributions('what_if_signals', 'what_if_health', ref('int_health_weights')) }}
),

what_if_drivers as (
    {{ signal_driver_labels('what_if_contributions') }}
),

-- Each changed signal before (stored) and after (re-scored).
changed_signals as (
    {%- for dimension, names in signals.items() %}
        {%- set dimension_loop = loop %}
        {%- for signal_name in names %}
    select
        targets.account_id,
        targets.date_day,
        '{{ dimension }}' as dimension,
        '{{ signal_name }}' as signal_name,
        stored.{{ signal_name }}__value as value_before,
        stored.{{ signal_name }}__score as score_before,
        after.{{ signal_name }}__value as value_after,
        after.{{ signal_name }}__score_absolute as score_absolute_after,
        after.{{ signal_name }}__score_peer as score_peer_after,
        after.{{ signal_name }}__score as score_after,
        after.{{ signal_name }}__missing_reason as missing_reason_after,
        what_if_health.{{ signal_name }}__weight as weight
    from targets
    inner join {{ ref('int_signals_' ~ dimension) }} as stored
        on targets.account_id = stored.account_id
            and targets.date_day = stored.date_day
    inner join {{ dimension }}__rescored as after
        on targets.account_id = after.account_id
            and targets.date_day = after.date_day
    inner join what_if_health
        on targets.account_id = what_if_health.account_id
            and targets.date_day = what_if_health.date_day
    where targets.{{ signal_name }}__is_changed
    {%- if not (dimension_loop.last and loop.last) %}
    union all
    {%- endif %}
        {%- endfor %}
    {%- endfor %}
),

final as (
    select
        changed_signals.account_id,
        changed_signals.date_day,
        before.lifecycle_stage,
        before.customer_tier,
        changed_signals.dimension,
        changed_signals.signal_name,
        changed_signals.weight,
        changed_signals.value_before,
        changed_signals.score_before,
        changed_signals.value_after,
        changed_signals.score_absolute_after,
        changed_signals.score_peer_after,
        changed_signals.score_after,
        changed_signals.missing_reason_after,
        before.health_score as health_score_before,
        before.health_band as health_band_before,
        before.coverage as coverage_before,
        drivers_before.drivers_down as drivers_down_before,
        drivers_before.drivers_up as drivers_up_before,
        after.health_score as health_score_after,
        after.health_band as health_band_after,
        after.coverage as coverage_after,
        drivers_after.drivers_down as drivers_down_after,
        drivers_after.drivers_up as drivers_up_after,
        after.top_driver_down as top_driver_down_after,
        {%- for dimension in signals %}
        after.score_{{ dimension }} as score_{{ dimension }}_after,
        {%- endfor %}
        after.health_score_current_weights as health_score_current_weights_after
    from changed_signals
    inner join {{ ref('int_account_health_daily') }} as before
        on changed_signals.account_id = before.account_id
            and changed_signals.date_day = before.date_day
    inner join what_if_health as after
        on changed_signals.account_id = after.account_id
            and changed_signals.date_day = after.date_day
    left join {{ ref('int_account_health_movers') }} as drivers_before
        on changed_signals.account_id = drivers_before.account_id
            and changed_signals.date_day = drivers_before.date_day
    left join what_if_drivers as drivers_after
        on changed_signals.account_id = drivers_after.account_id
            and changed_signals.date_day = drivers_after.date_day
)

select * from final
{% endmacro %}
