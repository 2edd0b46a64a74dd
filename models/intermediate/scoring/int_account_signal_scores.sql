-- Every signal's value and score on each account-day, in one wide row: the stored signal scores
-- the composite is computed from (int_account_health_daily). A change of weights re-scores
-- history from these rows without recomputing a signal. A view joining the wide
-- int_signals_<dimension> tables, which all hold one row per account-day of the stage spine.
-- Per signal of var signals: <signal>__value and <signal>__score, both null when it is missing
-- (its weight is then re-spread over the present ones). The join is macro wide_signal_scores,
-- which the what-if's re-scored day goes through too.
{%- set dimensions = var('signals').keys() | list %}
{%- set relations = {} %}
{%- for dimension in dimensions %}{% do relations.update({dimension: dimension}) %}{% endfor %}

with
{%- for dimension in dimensions %}
    {{ dimension }} as (
        select * from {{ ref('int_signals_' ~ dimension) }}
    ),
{% endfor %}

final as (
    {{ wide_signal_scores(relations) }}
)

select * from final
