-- Which account does a mail domain belong to? One row per domain, from account websites and the
-- domain lists of support organizations that name their account explicitly. A domain claimed by
-- two accounts is ambiguous and links nothing; public mail domains never link.
with accounts as (
    select * from {{ ref('stg_crm__account') }}
),

organizations as (
    select * from {{ ref('stg_support__organization') }}
),

website_domains as (
    select
        website_domain as email_domain,
        account_id,
        'account_website' as domain_source
    from accounts
    where website_domain is not null
),

organization_domains as (
    select
        {{ bare_domain('organization_domain.domain_name') }} as email_domain,
        accounts.account_id,
        'support_organization' as domain_source
    from organizations
    cross join {{ split_to_rows('organizations.domain_names', ',') }} as organization_domain (domain_name)
    inner join accounts on organizations.external_account_id = accounts.account_id
),

claims as (
    select * from website_domains
    union all
    select * from organization_domains
),

domains as (
    select
        email_domain,
        case when count(distinct account_id) = 1 then min(account_id) end as account_id,
        count(distinct account_id) as count_accounts_claiming,
        min(domain_source) as domain_source
    from claims
    where email_domain is not null
        and not {{ is_public_email_domain('email_domain') }}
    group by email_domain
),

final as (
    select
        email_domain,
        account_id,
        count_accounts_claiming,
        domain_source,
        count_accounts_claiming > 1 as is_ambiguous
    from domains
)

select * from final
