-- The vars that give values of a picklist a meaning (urgent priorities, solved statuses, satisfied
-- and dissatisfied ratings) must name values of that picklist, and no picklist's catch-all may be
-- one of its values: a misspelt meaning would otherwise match no cleaned row, quietly. One row per
-- value that breaks this, naming the var and the picklist.
{%- set meanings = {
    'urgent_ticket_priorities': 'ticket_priorities',
    'solved_ticket_statuses': 'ticket_statuses',
    'satisfied_ratings': 'satisfaction_ratings',
    'dissatisfied_ratings': 'satisfaction_ratings',
} %}
{%- set problems = [] %}
{%- for meaning_var, picklist in meanings.items() %}
    {%- for value in var(meaning_var) if value not in var(picklist) %}
        {%- do problems.append((meaning_var, value, 'is not a value of var ' ~ picklist)) %}
    {%- endfor %}
{%- endfor %}
{%- for picklist, catch_all in var('picklist_catch_alls').items() if catch_all in var(picklist) %}
    {%- do problems.append(('picklist_catch_alls', catch_all, 'is also a value of var ' ~ picklist)) %}
{%- endfor %}

with final as (
    {%- for meaning_var, value, problem in problems %}
        select
            '{{ meaning_var }}' as var_name,
            '{{ value }}' as var_value,
            '{{ problem }}' as problem
        {% if not loop.last %}union all{% endif %}
    {%- else %}
        select
            cast(null as {{ type_text() }}) as var_name,
            cast(null as {{ type_text() }}) as var_value,
            cast(null as {{ type_text() }}) as problem
        where 1 = 0
    {%- endfor %}
)

select * from final
