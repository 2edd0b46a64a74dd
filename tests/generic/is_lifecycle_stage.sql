{#- The column holds lifecycle stages only: a stage of seed lifecycle_stage_rules (the one place
    the stages are listed) or, unless allow_churned is false, the churn day's (macro
    churned_stage); `extra_values` are also accepted (a seed's 'all' or 'any'). Nulls pass (pair
    with not_null). Fails with each other value and its count of rows. -#}
{% test is_lifecycle_stage(model, column_name, extra_values=[], allow_churned=true) %}
    {{ values_outside(
        model, column_name, ref('lifecycle_stage_rules'), 'stage', extra_values,
        churned_stage() if allow_churned else none
    ) }}
{% endtest %}
