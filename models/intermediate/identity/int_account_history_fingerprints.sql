-- What is each account's activity history built from? One row per account (of the CRM, or with
-- a linked product user): its linked product users and its customer dates, as fingerprints.
-- The incremental activity models store the fingerprint on every row and rebuild every day of an
-- account whose fingerprint changed (a re-linked user, a new contact, a corrected start date).
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
        count(*) as count_linked_users,
        md5({{ ordered_string_agg('system_key', "','", 'system_key') }}) as identity_fingerprint
    from identity
    group by account_id
),

final as (
    select
        coalesce(accounts.account_id, links.account_id) as account_id,
        coalesce(links.count_linked_users, 0) as count_linked_users,
        -- int_account_daily_activity: the linked users.
        links.identity_fingerprint as activity_fingerprint,
        -- int_account_usage_daily: the linked users, the customer start, the first scored day and
        -- the customer end.
        md5(concat_ws(
            '|',
            coalesce(links.identity_fingerprint, ''),
            coalesce(cast(accounts.customer_start_on as {{ type_text() }}), ''),
            coalesce(
                cast(
                    {{ greatest_ignore_nulls('accounts.customer_start_on', 'as_of.data_start_on') }}
                    as {{ type_text() }}
                ),
                ''
            ),
            coalesce(cast(accounts.customer_end_on as {{ type_text() }}), '')
        )) as usage_fingerprint
    from accounts
    full outer join links on accounts.account_id = links.account_id
    cross join as_of
)

select * from final
