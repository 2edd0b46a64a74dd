{#-
    Scores the signals of one dimension, wide. Input: `measures`, a CTE with one row per
    account-day (account_id, date_day) and a column per signal; `signals` maps each signal column
    to the column holding why it is missing (or none). They must be the signals var
    signals lists for `dimension`. Output: one row per account-day with lifecycle_stage,
    customer_tier (the peer group of the day, int_account_stage_daily) and per signal:
      <signal>__value           the value as a double (null when missing)
      <signal>__score_absolute  linear_score between the seed signal_thresholds values for the
                                stage (a row for the stage wins over the row for 'all')
      <signal>__score_peer      percentile (0-100, healthy direction) among accounts of the same
                                tier and stage that day; null when fewer than var
                                min_peer_group_size have a value
      <signal>__score           (1 - peer_weight) * absolute + peer_weight * peer, or absolute alone
      <signal>__missing_reason  why the value is unknown (null when present): the signal is then
                                left out and its weight re-spread (source_not_configured when the
                                seed's `source` names a source or table the deployment does not
                                have, macro signal_source_not_configured)
    Only the days an incremental run rewrites are scored (macro in_run_days): peer groups are
    whole days, so a day scored alone scores as in a full build. The long form is the view
    int_account_signals_daily.
-#}
{% macro score_signals(measures, signals, dimension) %}
    {%- set configured = var('signals')[dimension] if dimension in var('signals') else [] %}
    {%- if (signals.keys() | list | sort) != (configured | sort) %}
        {{ exceptions.raise_compiler_error(
            model.name ~ " computes signals " ~ (signals.keys() | list | sort | join(', '))
            ~ " but var signals lists for dimension '" ~ dimension ~ "': "
            ~ (configured | sort | join(', ')) ~ ". Add the signal to var signals in dbt_project.yml"
            ~ " (and to seeds signal_thresholds.csv and health_weights.csv), or remove it here.") }}
    {%- endif %}
    -- Only the days this run scores (macro in_run_days), as the measures.
    with stages as (
        select account_id, date_day, lifecycle_stage, customer_tier
        from {{ ref('int_account_stage_daily') }}
        where {{ in_run_days('date_day') }}
            and {{ in_day_batch('date_day') }}
    ),

    -- Thresholds as doubles on every engine (a seed's decimals load as numeric on Postgres).
    thresholds as (
        select
            signal_name,
            lifecycle_stage,
            cast(value_at_0 as {{ type_double() }}) as value_at_0,
            cast(value_at_100 as {{ type_double() }}) as value_at_100,
            cast(peer_weight as {{ type_double() }}) as peer_weight,
            source
        from {{ ref('signal_thresholds') }}
        where dimension = '{{ dimension }}'
    ),

    -- The stages that occur on the days scored, read from the model itself (the stages CTE is read
    -- once, so no engine stores it whole).
    stage_names as (
        select distinct lifecycle_stage from {{ ref('int_account_stage_daily') }}
        where {{ in_run_days('date_day') }}
            and {{ in_day_batch('date_day') }}
    ),

    -- One row per stage with each signal's thresholds side by side: the stage's own row, else 'all'.
    stage_thresholds as (
        select
            stage_names.lifecycle_stage,
            {%- for signal_name in configured %}
                {%- for column in ['value_at_0', 'value_at_100', 'peer_weight', 'source'] %}
            coalesce(
                max(thresholds.{{ column }}) filter (
                    where thresholds.signal_name = '{{ signal_name }}'
                    and thresholds.lifecycle_stage = stage_names.lifecycle_stage
                ),
                max(thresholds.{{ column }}) filter (
                    where thresholds.signal_name = '{{ signal_name }}' and thresholds.lifecycle_stage = 'all'
                )
            ) as {{ signal_name }}__{{ column }}{% if not loop.last %},{% endif %}
                {%- endfor %}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from stage_names
        cross join thresholds
        group by stage_names.lifecycle_stage
    ),

    valued as (
        select
            measures.account_id,
            measures.date_day,
            stages.lifecycle_stage,
            stages.customer_tier,
            {%- for signal_name, missing_reason in signals.items() %}
                {%- set not_configured = signal_source_not_configured(
                    'stage_thresholds.' ~ signal_name ~ '__source') %}
                {%- set reason = 'cast(measures.' ~ missing_reason ~ ' as ' ~ type_text() ~ ')' if missing_reason else 'null' %}
            -- A signal read from a source or table the deployment does not have (var connectors =
            -- none, var absent_raw_tables) is missing, whatever the model computed from no rows.
            case when not {{ not_configured }} then cast(measures.{{ signal_name }} as {{ type_double() }}) end
                as {{ signal_name }}__value,
            case
                when {{ not_configured }} then 'source_not_configured'
                when measures.{{ signal_name }} is null then coalesce({{ reason }}, 'no_data')
            end as {{ signal_name }}__missing_reason,
            stage_thresholds.{{ signal_name }}__value_at_0,
            stage_thresholds.{{ signal_name }}__value_at_100,
            coalesce(stage_thresholds.{{ signal_name }}__peer_weight, 0) as {{ signal_name }}__peer_weight,
            -- The value as its peer group ranks it: rounded to 9 decimals, so values equal but for
            -- the last bit of a double (a median interpolated, a ratio computed another way) tie on
            -- every engine, and turned so that healthier ranks higher.
            case when not {{ not_configured }} then
                {{ round_half_away('cast(measures.' ~ signal_name ~ ' as ' ~ type_double() ~ ')', 9) }}
                * coalesce(sign(stage_thresholds.{{ signal_name }}__value_at_100
                    - stage_thresholds.{{ signal_name }}__value_at_0), 0)
            end as {{ signal_name }}__peer_key{% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ measures }} as measures
        inner join stages
            on measures.account_id = stages.account_id
                and measures.date_day = stages.date_day
        left join stage_thresholds
            on stages.lifecycle_stage = stage_thresholds.lifecycle_stage
        where {{ in_run_days('measures.date_day') }}
            and {{ in_day_batch('measures.date_day') }}
    ),

    -- Each signal's peer percentile among the present values of its peer group (tier and stage)
    -- that day, as percent_rank() would give it: (accounts ranked below) / (accounts - 1), 0 for a
    -- group of one, null below var min_peer_group_size. Counted over the distinct values of each
    -- group rather than ranked over every account-day: a window sorts what it carries, and a
    -- ranking per signal joined back by account meant one sort and one account-day-sized hash join
    -- per signal (out of 40 GB of spill at 100,000 accounts). Each signal's values are counted in
    -- one pass over the account-days, and the scores joined back by (day, group, value), where the
    -- build side is the distinct values.
    signal_names as (
        {%- for signal_name in configured %}
        select '{{ signal_name }}' as signal_name{% if not loop.last %}
        union all{% endif %}
        {%- endfor %}
    ),

    peer_values as (
        select
            signal_names.signal_name,
            valued.date_day,
            valued.lifecycle_stage,
            valued.customer_tier,
            case signal_names.signal_name
                {%- for signal_name in configured %}
                when '{{ signal_name }}' then valued.{{ signal_name }}__peer_key
                {%- endfor %}
            end as peer_key,
            count(*) as count_values
        from valued
        cross join signal_names
        group by 1, 2, 3, 4, 5
    ),

    peer_counts as (
        select
            signal_name,
            date_day,
            lifecycle_stage,
            customer_tier,
            peer_key,
            sum(count_values) over (
                partition by signal_name, date_day, lifecycle_stage, customer_tier
                order by peer_key
                rows between unbounded preceding and current row
            ) - count_values as count_below,
            sum(count_values) over (
                partition by signal_name, date_day, lifecycle_stage, customer_tier
            ) as count_group
        from peer_values
        where peer_key is not null
    ),

    peer_scores as (
        select
            signal_name,
            date_day,
            lifecycle_stage,
            customer_tier,
            peer_key,
            case
                when count_group < {{ var('min_peer_group_size') }} then null
                when count_group = 1 then 0.0
                else 100.0 * (cast(count_below as {{ type_double() }}) / cast(count_group - 1 as {{ type_double() }}))
            end as score_peer
        from peer_counts
    ),

    scored as (
        select
            valued.*,
            {%- for signal_name in configured %}
            {{ linear_score('valued.' ~ signal_name ~ '__value', 'valued.' ~ signal_name ~ '__value_at_0',
                'valued.' ~ signal_name ~ '__value_at_100') }} as {{ signal_name }}__score_absolute,
            peers_{{ signal_name }}.score_peer as {{ signal_name }}__score_peer{% if not loop.last %},{% endif %}
            {%- endfor %}
        from valued
        {%- for signal_name in configured %}
        left join peer_scores as peers_{{ signal_name }}
            on peers_{{ signal_name }}.signal_name = '{{ signal_name }}'
                and valued.date_day = peers_{{ signal_name }}.date_day
                and valued.lifecycle_stage = peers_{{ signal_name }}.lifecycle_stage
                and valued.customer_tier = peers_{{ signal_name }}.customer_tier
                and valued.{{ signal_name }}__peer_key = peers_{{ signal_name }}.peer_key
        {%- endfor %}
    )

    select
        account_id,
        date_day,
        lifecycle_stage,
        customer_tier,
        {%- for signal_name in configured %}
        {{ signal_name }}__value,
        {{ signal_name }}__score_absolute,
        {{ signal_name }}__score_peer,
        case
            when {{ signal_name }}__score_peer is null then {{ signal_name }}__score_absolute
            else (1 - {{ signal_name }}__peer_weight) * {{ signal_name }}__score_absolute
                + {{ signal_name }}__peer_weight * {{ signal_name }}__score_peer
        end as {{ signal_name }}__score,
        {{ signal_name }}__missing_reason,
        {%- endfor %}
        -- Added last: a string joined in before the account-day joins is carried through them
        -- (at 100,000 accounts that alone ran the query out of DuckDB's memory).
        {{ scoring_config_hash() }} as scoring_config_hash
    from scored
{% endmacro %}
