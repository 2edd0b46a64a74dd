{#- An amount billed per plan_interval, as an amount per month: the one place the interval is
    normalised (a year bills twelve months, a month one). Subscriptions, invoices and every MRR
    downstream use it, so contracted and invoiced revenue can be compared like for like. -#}
{% macro monthly_amount(amount, plan_interval) -%}
    cast({{ amount }} as {{ type_double() }}) / case {{ plan_interval }} when 'year' then 12 else 1 end
{%- endmacro %}
