{#-
    Invoices and contract must agree this month: the MRR difference of the accounts whose
    reason_class is in `reason_classes` (all but `matches` when omitted) stays within var
    revenue_reconciliation_max_unmatched_share of the current month's contracted MRR.
    Fails with the month, the MRR in question, the share and the account count.
    Used on fct_revenue_reconciliation: at error level for the classes where contract and billing
    contradict each other, at warn level for every difference.
-#}
{% test reconciliation_share_within(model, reason_classes=none) %}
{%- if reason_classes is none %}
    {%- set in_question = "reconciliation.reason_class != 'matches'" %}
{%- else %}
    {%- set in_question = "reconciliation.reason_class in ('" ~ reason_classes | join("', '") ~ "')" %}
{%- endif %}

with reconciliation as (
    select * from {{ model }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

current_month as (
    select
        reconciliation.month_start_on,
        sum(reconciliation.contracted_mrr) as contracted_mrr,
        sum(case when {{ in_question }} then abs(reconciliation.mrr_difference) else 0 end)
            as mrr_in_question,
        count(*) filter (where {{ in_question }}) as count_accounts_in_question
    from reconciliation
    inner join as_of on reconciliation.month_start_on = {{ dbt.date_trunc('month', 'as_of.as_of_on') }}
    group by reconciliation.month_start_on
)

select
    month_start_on,
    contracted_mrr,
    mrr_in_question,
    count_accounts_in_question,
    mrr_in_question / nullif(contracted_mrr, 0) as share_in_question
from current_month
where mrr_in_question > {{ var('revenue_reconciliation_max_unmatched_share') }} * contracted_mrr
{% endtest %}
