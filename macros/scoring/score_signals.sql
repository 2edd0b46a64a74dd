{#-
    Scores the raw signal values of one dimension. Input: a CTE with one row per account-day per
    signal (account_id, date_day, signal_name, signal_value, missing_reason). Output adds, per row:
      lifecycle_stage, customer_tier  the peer group of the day (int_account_stage_daily)
      score_absolute  linear_score between the seed signal_thresholds values for the stage (a row
                      for the stage wins over the row for 'all')
      score_peer      percentile (0-100, healthy direction) among accounts of the same tier and
                      stage that day; null when fewer than var min_peer_group_size have a value
      score           (1 - peer_weight) * absolute + peer_weight * peer, or absolute alone
      is_missing      the value is unknown: the signal is left out and its weight re-spread
                      (missing_reason source_not_configured when the seed's `source` names a
                      source or table the deployment does not have, macro
                      signal_source_not_configured)
    Only the days an incremental run rewrites are scored (macro in_run_days): peer groups are
    whole days, so a day scored alone scores as in a full build.
    The rows are scored long (one window gives every peer percentile) and stored wide: one row per
    account-day with, per signal of var signals[dimension], <signal>__value, __score_absolute,
    __score_peer, __score and __missing_reason (value and scores null when missing). The long
    form is the view int_account_signals_daily.
-#}
{% macro score_signals(signal_values, dimension) %}
    with stages as (
        select account_id, date_day, lifecycle_stage, customer_tier
        from {{ ref('int_account_stage_daily') }}
    ),

    thresholds as (
        select * from {{ ref('signal_thresholds') }}
        where dimension = '{{ dimension }}'
    ),

    valued as (
        select
            signal_values.account_id,
            signal_values.date_day,
            '{{ dimension }}' as dimension,
            signal_values.signal_name,
            {%- set not_configured = signal_source_not_configured(
                'coalesce(stage_thresholds.source, all_thresholds.source)') %}
            {%- if not_configured == 'false' %}
            cast(signal_values.signal_value as double) as signal_value,
            signal_values.signal_value is null as is_missing,
            case when signal_values.signal_value is null
                then coalesce(signal_values.missing_reason, 'no_data')
            end as missing_reason,
            {%- else %}
            -- A signal read from a source or table the deployment does not have (var connectors
            -- = none, var absent_raw_tables) is missing, whatever the model computed from no rows.
            case when not {{ not_configured }} then cast(signal_values.signal_value as double) end
                as signal_value,
            signal_values.signal_value is null or {{ not_configured }} as is_missing,
            case
                when {{ not_configured }} then 'source_not_configured'
                when signal_values.signal_value is null
                    then coalesce(signal_values.missing_reason, 'no_data')
            end as missing_reason,
            {%- endif %}
            stages.lifecycle_stage,
            stages.customer_tier,
            coalesce(stage_thresholds.value_at_0, all_thresholds.value_at_0) as value_at_0,
            coalesce(stage_thresholds.value_at_100, all_thresholds.value_at_100) as value_at_100,
            coalesce(stage_thresholds.peer_weight, all_thresholds.peer_weight, 0) as peer_weight
        from {{ signal_values }} as signal_values
        inner join stages
            on signal_values.account_id = stages.account_id
            and signal_values.date_day = stages.date_day
        left join thresholds as stage_thresholds
            on signal_values.signal_name = stage_thresholds.signal_name
            and stages.lifecycle_stage = stage_thresholds.lifecycle_stage
        left join thresholds as all_thresholds
            on signal_values.signal_name = all_thresholds.signal_name
            and all_thresholds.lifecycle_stage = 'all'
        where {{ in_run_days('signal_values.date_day') }}
    ),

    -- One window (one sort) gives both the rank and the size of the group of present values.
    scored as (
        select
            *,
            {{ linear_score('signal_value', 'value_at_0', 'value_at_100') }} as score_absolute,
            case
                when signal_value is not null
                    and count(*) over peers >= {{ var('min_peer_group_size') }}
                    then 100.0 * percent_rank() over peers
            end as score_peer
        from valued
        window peers as (
            partition by date_day, signal_name, lifecycle_stage, customer_tier, is_missing
            order by signal_value * sign(value_at_100 - value_at_0)
            rows between unbounded preceding and unbounded following
        )
    )

    select
        account_id,
        date_day,
        max(lifecycle_stage) as lifecycle_stage,
        max(customer_tier) as customer_tier,
        {%- for signal_name in var('signals')[dimension] %}
            {%- set this_signal = "signal_name = '" ~ signal_name ~ "'" %}
        max(signal_value) filter (where {{ this_signal }}) as {{ signal_name }}__value,
        max(score_absolute) filter (where {{ this_signal }} and not is_missing)
            as {{ signal_name }}__score_absolute,
        max(score_peer) filter (where {{ this_signal }} and not is_missing) as {{ signal_name }}__score_peer,
        max(
            case
                when is_missing then null
                when score_peer is null then score_absolute
                else (1 - peer_weight) * score_absolute + peer_weight * score_peer
            end
        ) filter (where {{ this_signal }}) as {{ signal_name }}__score,
        max(missing_reason) filter (where {{ this_signal }}) as {{ signal_name }}__missing_reason,
        {%- endfor %}
        {{ scoring_config_hash() }} as scoring_config_hash
    from scored
    group by account_id, date_day
{% endmacro %}
