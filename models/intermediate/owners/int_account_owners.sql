-- Who owns each customer in the CRM? One row per scored account: the account's owner id
-- (crm.account.owner_id) resolved to the internal CRM user (crm.user). Internal user names are
-- not customer personal data (issue 18), so the owner's display name is taken here, from
-- stg_crm__user, and nowhere else; no e-mail is carried.
with accounts as (
    select * from {{ ref('int_accounts') }}
),

users as (
    select * from {{ ref('stg_crm__user') }}
),

final as (
    select
        accounts.account_id,
        accounts.owner_user_id,
        users.user_name as owner_name,
        users.title as owner_title,
        coalesce(users.is_active, false) as is_owner_active,
        users.user_id is not null as is_owner_known
    from accounts
    left join users on accounts.owner_user_id = users.user_id
)

select * from final
