-- What is each account's scored history built from, beside its product users? One row per
-- account (of the CRM, or with a linked product user): its count of linked product users and its
-- customer dates as a fingerprint. The incremental usage and stage models store the fingerprint
-- on every row and rebuild every day of an account whose fingerprint changed (a corrected start or
-- end date); which users were linked before a day they compare by a sum of hashes instead (macro
-- accounts_with_changed_history), so a new user does not make its account rebuilt.
with accounts as (
    select * from {{ ref('int_accounts') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

identity as (
    select * from {{ ref('int_account_identity') }}
    where system = 'product_user' and is_linked
),

links as (
    select
        account_id,
        count(*) as count_linked_users
    from identity
    group by account_id
),

final as (
    select
        coalesce(accounts.account_id, links.account_id) as account_id,
        coalesce(links.count_linked_users, 0) as count_linked_users,
        -- int_account_usage_daily and int_account_stage_daily: the customer start, the first
        -- scored day and the customer end; none without a customer start (no day is scored).
        case
            when accounts.customer_start_on is not null
                then md5(concat_ws(
                        '|',
                        cast(accounts.customer_start_on as {{ type_text() }}),
                        cast(
                            {{ greatest_ignore_nulls('accounts.customer_start_on', 'as_of.data_start_on') }}
                            as {{ type_text() }}
                        ),
                        coalesce(cast(accounts.customer_end_on as {{ type_text() }}), '')
                    ))
        end as usage_fingerprint
    from accounts
    full outer join links on accounts.account_id = links.account_id
    cross join as_of
)

select * from final
