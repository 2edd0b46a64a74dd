-- An empty mart is an error, never a pass: fails when there are customers (accounts with a
-- subscription, or non-test CRM accounts of type Customer) and dim_account_health scores none.
{{ config(severity='error') }}

with scored as (
    select count(*) as count_scored from {{ ref('dim_account_health') }}
),

accounts as (
    select count(*) as count_accounts_with_subscription from {{ ref('int_accounts') }}
),

crm_customers as (
    select count(*) as count_crm_customers
    from {{ ref('stg_crm__account') }}
    where account_type = 'Customer' and not is_test_account
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

final as (
    select
        scored.count_scored,
        accounts.count_accounts_with_subscription,
        crm_customers.count_crm_customers,
        as_of.as_of_on,
        as_of.as_of_source,
        as_of.data_start_on,
        'marts.dim_account_health is empty, yet there are customers ('
        || accounts.count_accounts_with_subscription || ' accounts with a subscription, '
        || crm_customers.count_crm_customers || ' CRM accounts of type Customer): no account is scored'
        || ' for the as-of date ' || coalesce(cast(as_of.as_of_on as {{ type_text() }}), 'none') || ' ('
        || coalesce(as_of.as_of_source, 'none') || ') from the first scored day '
        || coalesce(cast(as_of.data_start_on as {{ type_text() }}), 'none') || '. Every health score, alert and'
        || ' report is missing, not healthy. '
        || case
            when accounts.count_accounts_with_subscription = 0
                then 'No CRM account has a linked billing subscription: check that billing customers link'
                    || ' to CRM accounts (guard_billing_customers_linked).'
            else 'Check vars as_of and history_start: the as-of date must be on or after the first'
                || ' scored day and after the customers started.'
        end as guard_message
    from scored
    cross join accounts
    cross join crm_customers
    cross join as_of
    where scored.count_scored = 0
        and (accounts.count_accounts_with_subscription > 0 or crm_customers.count_crm_customers > 0)
)

select * from final
