{#- The lifecycle stage of an account's churn day, as an SQL string literal: the one stage that
    is not a rule of seed lifecycle_stage_rules. int_account_stage_daily gives it, the composite
    weights it like var churned_day_weights_stage, the back-test leaves it out and the generic
    test is_lifecycle_stage accepts it. -#}
{% macro churned_stage() -%}
    'churned'
{%- endmacro %}
