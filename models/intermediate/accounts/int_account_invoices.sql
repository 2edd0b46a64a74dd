-- What has each account been invoiced, for which months? One row per invoice of a subscription
-- linked to an account (drafts and voided invoices left out), with its due and paid days and the
-- monthly amount it stands for (an annual invoice counts a twelfth a month).
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
        invoices.amount_due / case subscriptions.plan_interval when 'year' then 12 else 1 end
            as monthly_amount
    from invoices
    inner join subscriptions on invoices.subscription_id = subscriptions.subscription_id
    where invoices.invoice_status not in ('draft', 'void')
)

select * from final
