{#- Every weight set (effective_from × stage × tier) sums to 1. Returns the sets that do not. -#}
{% test weights_sum_to_one(model, tolerance=0.0001) %}

select
    effective_from,
    lifecycle_stage,
    customer_tier,
    sum(weight) as total_weight
from {{ model }}
group by effective_from, lifecycle_stage, customer_tier
having abs(sum(weight) - 1) > {{ tolerance }}

{% endtest %}
