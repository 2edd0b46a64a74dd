-- Every signal's value and score on each account-day, in one wide row: the stored signal scores
-- the composite is computed from (int_account_health_daily). A change of weights re-scores
-- history from this table alone: the six-way join of the wide int_signals_<dimension> tables
-- (one row per account-day of the stage spine each) is paid once, when the signals are written,
-- not again on every re-score. Per signal of var signals: <signal>__value and <signal>__score,
-- both null when it is missing (its weight is then re-spread over the present ones). The join is
-- macro wide_signal_scores, which the what-if's re-scored day goes through too.
-- Part of the signal layer (meta config_hash: signal_config_hash): the days rewritten are those
-- of macro in_run_days, in day batches at scale (macro in_day_batch, meta batch).
{%- set dimensions = var('signals').keys() | list %}
{%- set relations = {} %}
{%- for dimension in dimensions %}{% do relations.update({dimension: dimension}) %}{% endfor %}

with
{%- for dimension in dimensions %}
    {{ dimension }} as (
        select * from {{ ref('int_signals_' ~ dimension) }}
        where {{ in_run_days('date_day') }}
            and {{ in_day_batch('date_day') }}
    ),
{% endfor %}

joined as (
    {{ wide_signal_scores(relations) }}
),

final as (
    select
        *,
        {{ scoring_config_hash() }} as scoring_config_hash
    from joined
)

select * from final
