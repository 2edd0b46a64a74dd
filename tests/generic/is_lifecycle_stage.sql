{#- The column holds lifecycle stages only: a stage of seed lifecycle_stage_rules (the one place
    the stages are listed) or, unless allow_churned is false, the churn day's (macro
    churned_stage); `extra_values` are also accepted (a seed's 'all' or 'any'). Nulls pass (pair
    with not_null). Fails with each other value and its count of rows. -#}
{% test is_lifecycle_stage(model, column_name, extra_values=[], allow_churned=true) %}
select
    {{ column_name }} as lifecycle_stage,
    count(*) as count_rows
from {{ model }}
where {{ column_name }} is not null
    {%- if allow_churned %}
    and {{ column_name }} != {{ churned_stage() }}
    {%- endif %}
    {%- if extra_values %}
    and {{ column_name }} not in ({{ sql_values(extra_values) }})
    {%- endif %}
    and {{ column_name }} not in (select stage from {{ ref('lifecycle_stage_rules') }})
group by {{ column_name }}
{% endtest %}
