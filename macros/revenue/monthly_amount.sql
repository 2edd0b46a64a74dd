{#- How many months one plan_interval bills: a year twelve, a month one. The one place the
    interval is normalised: monthly_amount divides by it, renewals step a stale period end by it. -#}
{% macro months_per_interval(plan_interval) -%}
    case {{ plan_interval }} when 'year' then 12 else 1 end
{%- endmacro %}

{#- An amount billed per plan_interval, as an amount per month. Subscriptions, invoices and every
    MRR downstream use it, so contracted and invoiced revenue can be compared like for like. -#}
{% macro monthly_amount(amount, plan_interval) -%}
    cast({{ amount }} as {{ type_double() }}) / {{ months_per_interval(plan_interval) }}
{%- endmacro %}

{#- Annual recurring revenue from monthly recurring revenue: the one definition of ARR. -#}
{% macro arr_from_mrr(mrr) -%}
    ({{ mrr }}) * 12
{%- endmacro %}
