-- What has each account been invoiced, for which months? One row per invoice of a subscription
-- linked to an account (drafts and voided invoices left out), with its due and paid days, the
-- monthly amount it stands for (an annual invoice counts a twelfth a month), the seats billed and
-- whether it bills a part period (a proration).
{%- set partial -%}
    coalesce(
        invoices.amount_due > 0 and subscriptions.plan_amount > 0
        -- Float noise only: amounts and prices are whole cents.
        and abs(
            invoices.amount_due / subscriptions.plan_amount - round(invoices.amount_due / subscriptions.plan_amount)
        ) > 1e-6,
        false
    )
{%- endset %}

with invoices as (
    select * from {{ ref('stg_billing__invoice') }}
),

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
),

final as (
    select
        invoices.invoice_id,
        subscriptions.account_id,
        invoices.subscription_id,
        invoices.invoice_status,
        cast(invoices.created_at as date) as invoiced_on,
        cast(invoices.due_at as date) as due_on,
        cast(invoices.paid_at as date) as paid_on,
        subscriptions.ended_on as subscription_ended_on,
        invoices.amount_due,
        {{ monthly_amount('invoices.amount_due', 'subscriptions.plan_interval') }} as monthly_amount,
        -- Seats billed: the amount over the price per seat (a free invoice or a part period says
        -- nothing of seats).
        case when invoices.amount_due > 0 and subscriptions.plan_amount > 0 and not {{ partial }}
                then round(invoices.amount_due / subscriptions.plan_amount)
        end as count_seats_billed,
        -- A part period: not a whole number of seats at the price, such as the pro-rata charge for
        -- seats bought mid-term. It adds to the period in force rather than starting one.
        {{ partial }} as is_partial_period
    from invoices
    inner join subscriptions on invoices.subscription_id = subscriptions.subscription_id
    where invoices.invoice_status not in ('draft', 'void')
)

select * from final
