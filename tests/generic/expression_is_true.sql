{#- Every row satisfies a SQL condition (a business invariant). Rows that do not are failures. -#}
{% test expression_is_true(model, expression, where=none) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{%- if where %} and ({{ where }}){% endif %}

{% endtest %}
