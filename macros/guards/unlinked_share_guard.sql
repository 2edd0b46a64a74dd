{#-
    The SQL of a guard on one system of int_account_identity: one failing row (with a
    guard_message) when the share of its records that link to no CRM account is above the var
    `limit_var`. `source_name` is the source the records come from: a source declared `none` in var
    connectors has no records to link and is not checked. `effect` says what the unlinked records
    do to the score; `remedy` what to do.
-#}
{% macro unlinked_share_guard(system, source_name, records_label, limit_var, effect, remedy) %}
{%- set limit = var(limit_var) %}

with identity as (
    select * from {{ ref('int_account_identity') }}
    where system = '{{ system }}'
),

reasons as (
    select
        unlinked_reason,
        count(*) as count_records
    from identity
    where not is_linked
    group by unlinked_reason
),

shares as (
    select
        count(*) as count_records,
        count(*) filter (where not is_linked) as count_unlinked,
        cast(count(*) filter (where not is_linked) as {{ type_double() }}) / nullif(count(*), 0) as unlinked_share,
        {{ limit }} as max_unlinked_share,
        (
            select {{ ordered_string_agg("unlinked_reason || ' ' || count_records", "', '", ['count_records desc', 'unlinked_reason']) }}
            from reasons
        ) as unlinked_reasons
    from identity
)

select
    *,
    '{{ records_label }}: ' || {{ guard_percent('unlinked_share') }}
    || ' (' || count_unlinked || ' of ' || count_records || ') cannot be linked to a CRM account ('
    || unlinked_reasons || '), above the limit of ' || {{ guard_percent('max_unlinked_share') }}
    || ' (var {{ limit_var }}). {{ (effect ~ ' ' ~ remedy) | replace("'", "''") }}' as guard_message
from shares
where {{ 'false' if source_declared_absent(source_name) else 'true' }}
    and unlinked_share > max_unlinked_share
{% endmacro %}
