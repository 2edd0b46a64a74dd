{#- The join condition "rule `rules` holds for value row `values`" (seed health_flags' columns
    against signal_name, lifecycle_stage and signal_value): the same signal, the rule's stage or
    'all', and the rule's comparison with its threshold true. -#}
{% macro flag_rule_holds(values, rules) -%}
    {{ values }}.signal_name = {{ rules }}.signal_name
            and ({{ rules }}.lifecycle_stage = 'all' or {{ values }}.lifecycle_stage = {{ rules }}.lifecycle_stage)
            and case {{ rules }}.comparison
                when '>=' then {{ values }}.signal_value >= {{ rules }}.threshold
                when '>' then {{ values }}.signal_value > {{ rules }}.threshold
                when '<=' then {{ values }}.signal_value <= {{ rules }}.threshold
                when '<' then {{ values }}.signal_value < {{ rules }}.threshold
                when '=' then {{ values }}.signal_value = {{ rules }}.threshold
            end
{%- endmacro %}
