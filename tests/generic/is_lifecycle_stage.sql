{#- The column holds lifecycle stages only: a stage of seed lifecycle_stage_rules (the one place
    the stages are listed) or the churn day's (macro churned_stage). Nulls pass (pair
    with not_null). Fails with each other value and its count of rows. -#}
{% test is_lifecycle_stage(model, column_name) %}
select
    {{ column_name }} as lifecycle_stage,
    count(*) as count_rows
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} != {{ churned_stage() }}
    and {{ column_name }} not in (select stage from {{ ref('lifecycle_stage_rules') }})
group by {{ column_name }}
{% endtest %}
