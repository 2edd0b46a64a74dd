{#-
    Foreign keys that point nowhere are expected in landed data (shared/raw-contract.md) and are
    kept, not dropped; this test warns (it does not fail the build) when their share passes a tolerance (var
    max_orphan_share), which signals a broken extract or identity rules rather than ordinary dirt.
-#}
{% test relationships_within_tolerance(model, column_name, to, field, max_share=none) %}
{{ config(severity="warn") }}

{%- set tolerance = max_share if max_share is not none else var('max_orphan_share') %}

with children as (
    select {{ column_name }} as child_key
    from {{ model }}
    where {{ column_name }} is not null
),

parents as (
    select distinct {{ field }} as parent_key
    from {{ to }}
),

shares as (
    select
        count(*) as count_children,
        sum(case when parents.parent_key is null then 1 else 0 end) as count_orphans
    from children
    left join parents on children.child_key = parents.parent_key
)

select *
from shares
where count_children > 0
  and cast(count_orphans as {{ type_double() }}) / count_children > {{ tolerance }}

{% endtest %}
