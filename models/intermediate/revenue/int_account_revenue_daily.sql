-- What recurring revenue is each customer contracted for on each day? One row per account-day of
-- the spine: the subscriptions in force that day (started on or before it, not yet ended), each
-- worth plan_amount × quantity per period, normalised to a month (int_account_subscriptions, the
-- one definition of MRR), in the subscriptions' currency (macro contracted_revenue). Subscriptions
-- are landed in their newest state only, so a past day carries today's terms: this is the
-- contract, not the billing history (int_account_billing_daily holds what was invoiced, point in
-- time, for the scores). A view: the marts apply the macro to the few days they read (month ends,
-- the latest day) rather than storing every day again on every run.
{{ config(materialized='view') }}

with days as (
    select * from {{ ref('int_account_days') }}
),

subscriptions as (
    select * from {{ ref('int_account_subscriptions') }}
),

final as (
    {{ contracted_revenue('days', 'subscriptions') }}
)

select * from final
