-- What happened to each customer commercially, and when? One row per outcome event:
--   churn        the customer ended (int_accounts: every subscription ended, or a former customer
--                whose paid period ran out); revenue = recurring revenue lost per month
--   renewal      a renewal opportunity closed won; revenue = its amount
--   expansion    an invoice's monthly amount rose against the subscription's previous invoice
--   contraction  it fell (but not to zero); revenue = the monthly change
-- This is the one definition of outcomes: the back-test and the outcome mart read it.
with accounts as (
    select * from {{ ref('int_accounts') }}
),

-- Full-period invoices only: a pro-rata charge for seats bought mid-term is not a fall in
-- revenue; the next full invoice bills the new seats and records the expansion.
invoices as (
    select * from {{ ref('int_account_invoices') }}
    where not is_partial_period
),

opportunities as (
    select * from {{ ref('stg_crm__opportunity') }}
),

-- Recurring revenue just before the end: each subscription's last invoice, per month.
ranked_invoices as (
    select
        account_id,
        subscription_id,
        monthly_amount,
        row_number() over (
            partition by subscription_id order by invoiced_on desc, invoice_id desc
        ) as invoice_rank
    from invoices
),

last_invoices as (
    select
        account_id,
        subscription_id,
        monthly_amount
    from ranked_invoices
    where invoice_rank = 1
),

churns as (
    select
        accounts.account_id,
        accounts.customer_end_on as event_on,
        'churn' as event_type,
        coalesce(sum(last_invoices.monthly_amount), 0) as mrr_change
    from accounts
    left join last_invoices on accounts.account_id = last_invoices.account_id
    where accounts.is_churned
    group by accounts.account_id, accounts.customer_end_on
),

renewals as (
    select
        opportunities.account_id,
        opportunities.close_on as event_on,
        'renewal' as event_type,
        sum(opportunities.amount) as mrr_change
    from opportunities
    inner join accounts on opportunities.account_id = accounts.account_id
    where opportunities.opportunity_type = 'Renewal' and opportunities.is_won
    group by opportunities.account_id, opportunities.close_on
),

invoice_changes as (
    select
        invoices.account_id,
        invoices.invoiced_on,
        invoices.monthly_amount,
        invoices.monthly_amount - lag(invoices.monthly_amount) over (
            partition by invoices.subscription_id order by invoices.invoiced_on, invoices.invoice_id
        ) as monthly_change
    from invoices
    -- Scored customers only: test accounts are billed too.
    inner join accounts on invoices.account_id = accounts.account_id
),

revenue_moves as (
    select
        account_id,
        invoiced_on as event_on,
        case when sum(monthly_change) > 0 then 'expansion' else 'contraction' end as event_type,
        sum(monthly_change) as mrr_change
    from invoice_changes
    where monthly_change <> 0 and monthly_amount > 0
    group by account_id, invoiced_on
    having sum(monthly_change) <> 0
),

events as (
    select * from churns
    union all
    select * from renewals
    union all
    select * from revenue_moves
),

final as (
    select
        {{ dbt.hash("account_id || '|' || event_type || '|' || cast(event_on as " ~ type_text() ~ ")") }} as outcome_id,
        account_id,
        event_on,
        event_type,
        {{ round_half_away('mrr_change', 2) }} as revenue_change
    from events
    where event_on is not null
)

select * from final
