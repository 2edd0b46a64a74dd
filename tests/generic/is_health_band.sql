{#- The column holds band names only: a band of seed health_bands (the one place the bands are
    listed); `extra_values` are also accepted (a rule's 'any'). Nulls pass (pair with not_null).
    Fails with each other value and its count of rows. -#}
{% test is_health_band(model, column_name, extra_values=[]) %}
select
    {{ column_name }} as health_band,
    count(*) as count_rows
from {{ model }}
where {{ column_name }} is not null
    {%- if extra_values %}
    and {{ column_name }} not in ({{ sql_values(extra_values) }})
    {%- endif %}
    and {{ column_name }} not in (select band from {{ ref('health_bands') }})
group by {{ column_name }}
{% endtest %}
