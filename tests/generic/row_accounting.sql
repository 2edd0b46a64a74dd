{#-
    Every raw row has one fate: raw rows = staged + dropped duplicates + soft-deleted + quarantined.
    Applied to a clean staging model; reads the raw relation (macro raw_relation: the contract
    source, a connector's adapter or an absent source's empty relation), the base model's bookkeeping and the
    source's quarantine, and returns a row (a failure) when the counts do not add up.
-#}
{% test row_accounting(model, raw_source, base_model, quarantine_model, quarantine_label) %}

with raw_rows as (
    select count(*) as count_raw from {{ raw_relation(raw_source[0], raw_source[1]) }}
),

base_fates as (
    select
        sum(case when _row_status = 'duplicate' then 1 else 0 end) as count_duplicates,
        sum(case when _row_status = 'soft_deleted' then 1 else 0 end) as count_soft_deleted
    from {{ base_model }}
),

staged as (
    select count(*) as count_staged from {{ model }}
),

quarantined as (
    select count(*) as count_quarantined
    from {{ quarantine_model }}
    where source_table = '{{ quarantine_label }}'
),

accounting as (
    select
        raw_rows.count_raw,
        staged.count_staged,
        coalesce(base_fates.count_duplicates, 0) as count_duplicates,
        coalesce(base_fates.count_soft_deleted, 0) as count_soft_deleted,
        quarantined.count_quarantined
    from raw_rows
    cross join base_fates
    cross join staged
    cross join quarantined
)

select *
from accounting
where count_raw <> count_staged + count_duplicates + count_soft_deleted + count_quarantined

{% endtest %}
