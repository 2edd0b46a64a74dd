-- Which CRM account does each record of the other systems belong to? One row per (system,
-- system_key), by the contract's rules in order: an explicit account id that exists, else the
-- mail domain (int_account_domains). Unlinked records stay, with the reason, so they are counted.
with accounts as (
    select account_id from {{ ref('stg_crm__account') }}
),

domains as (
    select * from {{ ref('int_account_domains') }}
),

organizations as (
    select * from {{ ref('stg_support__organization') }}
),

tickets as (
    select * from {{ ref('stg_support__ticket') }}
),

customers as (
    select * from {{ ref('stg_billing__customer') }}
),

group_calls as (
    select * from {{ ref('stg_product__groups') }}
),

events as (
    select * from {{ ref('stg_product__tracks') }}
),

responses as (
    select * from {{ ref('stg_survey__response') }}
),

-- One row per record to link: its explicit account id (if the system has one) and mail domain.
organization_candidates as (
    select
        'support_organization' as system,
        cast(organization_id as {{ type_text() }}) as system_key,
        external_account_id as explicit_account_id,
        cast(null as {{ type_text() }}) as email_domain,
        domain_names as domain_list
    from organizations
),

customer_candidates as (
    select
        'billing_customer' as system,
        customer_id as system_key,
        crm_account_id as explicit_account_id,
        email_domain,
        cast(null as {{ type_text() }}) as domain_list
    from customers
),

-- A product user is known by the hash of its e-mail; its newest group call names its account.
-- Its first day with an event (none from group calls alone) is the first day of its user-days
-- (int_product_user_days): the activity models compare the users linked before a day by it, as
-- a sum of each user's user_hash (macro accounts_with_changed_history).
seen as (
    select
        user_email_hash,
        user_email_domain,
        cast(event_at as date) as active_on
    from events
    where user_email_hash is not null
    union all
    select
        user_email_hash,
        user_email_domain,
        cast(null as date) as active_on
    from group_calls
),

product_users as (
    select
        user_email_hash,
        max(user_email_domain) as email_domain,
        min(active_on) as first_active_on
    from seen
    group by user_email_hash
),

ranked_calls as (
    select
        user_email_hash,
        account_id,
        row_number() over (
            partition by user_email_hash order by grouped_at desc, group_call_id desc
        ) as call_rank
    from group_calls
),

newest_group_calls as (
    select
        user_email_hash,
        account_id
    from ranked_calls
    where call_rank = 1
),

user_candidates as (
    select
        'product_user' as system,
        product_users.user_email_hash as system_key,
        newest_group_calls.account_id as explicit_account_id,
        product_users.email_domain,
        cast(null as {{ type_text() }}) as domain_list
    from product_users
    left join newest_group_calls on product_users.user_email_hash = newest_group_calls.user_email_hash
),

response_candidates as (
    select
        'survey_response' as system,
        response_id as system_key,
        account_id as explicit_account_id,
        respondent_email_domain as email_domain,
        cast(null as {{ type_text() }}) as domain_list
    from responses
),

candidates as (
    select * from organization_candidates
    union all
    select * from customer_candidates
    union all
    select * from user_candidates
    union all
    select * from response_candidates
),

-- The domains each record names: its own e-mail domain, or each domain of an organization's list
-- (domain_list: comma-separated).
candidate_domains as (
    select
        candidates.system,
        candidates.system_key,
        candidate_domain.domain_name
    from candidates
    cross join
        {{ split_to_rows('coalesce(candidates.domain_list, candidates.email_domain)', ',') }}
            as candidate_domain (domain_name)
),

-- Each distinct name in its bare form: the pattern runs once per name, not once per record.
bare_domains as (
    select
        domain_name,
        {{ bare_domain('domain_name') }} as email_domain
    from (select distinct domain_name from candidate_domains) as named
),

domain_matches as (
    select
        candidate_domains.system,
        candidate_domains.system_key,
        count(distinct domains.account_id) as count_accounts,
        min(domains.account_id) as account_id,
        bool_or(domains.is_ambiguous) as has_ambiguous_domain
    from candidate_domains
    inner join bare_domains on candidate_domains.domain_name = bare_domains.domain_name
    inner join domains on bare_domains.email_domain = domains.email_domain
    group by candidate_domains.system, candidate_domains.system_key
),

linked as (
    select
        candidates.system,
        candidates.system_key,
        candidates.explicit_account_id,
        candidates.email_domain,
        explicit_accounts.account_id as explicit_match,
        case when domain_matches.count_accounts = 1 and not domain_matches.has_ambiguous_domain
                then domain_matches.account_id
        end as domain_match,
        coalesce(domain_matches.has_ambiguous_domain or domain_matches.count_accounts > 1, false)
            as is_domain_ambiguous
    from candidates
    left join accounts as explicit_accounts
        on candidates.explicit_account_id = explicit_accounts.account_id
    left join domain_matches
        on candidates.system = domain_matches.system
            and candidates.system_key = domain_matches.system_key
),

record_links as (
    select
        system,
        system_key,
        coalesce(explicit_match, domain_match) as account_id,
        case
            when explicit_match is not null then 'explicit_id'
            when domain_match is not null then 'email_domain'
        end as match_rule,
        case
            when explicit_match is not null or domain_match is not null then null
            when is_domain_ambiguous then 'ambiguous_domain'
            when {{ is_public_email_domain('email_domain') }} then 'public_email_domain'
            when explicit_account_id is not null then 'unknown_account_id'
            else 'no_match'
        end as unlinked_reason
    from linked
),

-- Tickets link through their organization; a ticket without a linked organization falls back
-- to its requester's mail domain.
ticket_links as (
    select
        'support_ticket' as system,
        cast(tickets.ticket_id as {{ type_text() }}) as system_key,
        coalesce(organization_links.account_id, requester_domains.account_id) as account_id,
        case
            when organization_links.account_id is not null then 'support_organization'
            when requester_domains.account_id is not null then 'email_domain'
        end as match_rule,
        case
            when organization_links.account_id is not null or requester_domains.account_id is not null
                then null
            when requester_domains.is_ambiguous then 'ambiguous_domain'
            when {{ is_public_email_domain('tickets.requester_email_domain') }} then 'public_email_domain'
            when tickets.organization_id is not null and organization_links.system_key is null
                then 'unknown_organization'
            else 'no_match'
        end as unlinked_reason
    from tickets
    left join record_links as organization_links
        on organization_links.system = 'support_organization'
            and cast(tickets.organization_id as {{ type_text() }}) = organization_links.system_key
    left join domains as requester_domains
        on tickets.requester_email_domain = requester_domains.email_domain
),

final as (
    select
        record_links.system,
        record_links.system_key,
        record_links.account_id,
        record_links.match_rule,
        record_links.unlinked_reason,
        record_links.account_id is not null as is_linked,
        product_users.first_active_on,
        case when product_users.first_active_on is not null then {{ key_hash('record_links.system_key') }} end
            as user_hash
    from record_links
    left join product_users
        on record_links.system = 'product_user'
            and record_links.system_key = product_users.user_email_hash
    union all
    select
        system,
        system_key,
        account_id,
        match_rule,
        unlinked_reason,
        account_id is not null as is_linked,
        cast(null as date) as first_active_on,
        cast(null as bigint) as user_hash
    from ticket_links
)

select * from final
