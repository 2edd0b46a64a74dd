-- Where is each account in its life on each day, and who are its peers? One row per account-day:
-- the lifecycle stage from the rules in seed lifecycle_stage_rules (the lowest-priority rule that
-- holds wins; the last rule holds always), `churned` on the churn day, and the segment columns.
-- Incremental like the usage it reads (int_account_usage_daily, whose active users set the usage
-- band): a daily run rewrites every day from the first day with new activity (macro
-- rewrite_from_day) and every day of an account whose users linked before that day (its
-- users_hash_to_date against the usage's: macro accounts_with_changed_history) or customer dates
-- changed;
-- a row depends on nothing of other days, so it needs no context days.
{%- set plan = rebuild_plan() %}
{%- set rewrite_from = rewrite_from_day(plan) %}
{%- set rebuilt = rebuilds_accounts(plan, rewrite_from) %}
{#- Appended to the day filters below: nothing when no account is rebuilt (macro
    rebuilt_accounts_clause), so the day filter reaches the table scan. #}
{%- set or_rebuilt = rebuilt_accounts_clause('or', 'account_id', rebuilt) %}

with fingerprints as (
    select * from {{ ref('int_account_history_fingerprints') }}
),
{%- if rebuilt %}

    rebuilt_accounts as (
        {{ accounts_to_rebuild(plan, rewrite_from) }}
    ),
{%- endif %}

days as (
    select * from {{ ref('int_account_days') }}
    {%- if rewrite_from is not none %}
        where date_day >= {{ rewrite_from }}{{ or_rebuilt }}
    {%- endif %}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

milestones as (
    select * from {{ ref('int_account_onboarding_milestones') }}
),

usage as (
    select * from {{ ref('int_account_usage_daily') }}
    {%- if rewrite_from is not none %}
        where date_day >= {{ rewrite_from }}{{ or_rebuilt }}
    {%- endif %}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunity') }}
    where opportunity_type = 'Renewal'
),

rules as (
    select * from {{ ref('lifecycle_stage_rules') }}
),

-- A renewal opportunity is open from its creation until its close date (point-in-time).
open_renewal_days as (
    select distinct
        days.account_id,
        days.date_day
    from days
    inner join opportunities
        on days.account_id = opportunities.account_id
            and days.date_day >= cast(opportunities.created_at as date)
            and (not opportunities.is_closed or days.date_day < opportunities.close_on)
),

facts as (
    select
        days.account_id,
        days.date_day,
        days.days_since_start,
        days.is_churn_day,
        accounts.contract_type,
        accounts.customer_tier,
        coalesce(milestones.onboarded_on <= days.date_day, false) as is_onboarded,
        open_renewal_days.account_id is not null as has_open_renewal_opportunity,
        -- The contract anniversary in the day's calendar year; the next one follows from it.
        {{ dbt.dateadd('year', dbt.datediff('accounts.customer_start_on', 'days.date_day', 'year'),
            'accounts.customer_start_on') }} as anniversary_this_year_on,
        accounts.customer_start_on,
        usage.count_active_users_window,
        usage.last_loaded_at,
        usage.users_hash_to_date,
        fingerprints.usage_fingerprint as account_fingerprint
    from days
    inner join accounts on days.account_id = accounts.account_id
    left join milestones on days.account_id = milestones.account_id
    left join usage on days.account_id = usage.account_id and days.date_day = usage.date_day
    left join fingerprints on days.account_id = fingerprints.account_id
    left join open_renewal_days
        on days.account_id = open_renewal_days.account_id
            and days.date_day = open_renewal_days.date_day
),

renewal_dates as (
    select
        *,
        {{ dbt.datediff(
            'date_day',
            'case when anniversary_this_year_on > date_day then anniversary_this_year_on else '
                ~ dbt.dateadd('year', 1, 'anniversary_this_year_on') ~ ' end',
            'day'
        ) }} as days_until_renewal
    from facts
),

matching_rules as (
    select
        facts.account_id,
        facts.date_day,
        rules.stage,
        rules.priority
    from renewal_dates as facts
    inner join rules
        on (rules.max_days_since_start is null or facts.days_since_start < rules.max_days_since_start)
            and (not rules.ends_when_onboarded or not facts.is_onboarded)
            and (
                rules.days_before_renewal is null
                or (
                    {{ separated_list_contains('rules.renewal_contract_types', 'facts.contract_type') }}
                    and facts.days_until_renewal <= rules.days_before_renewal
                )
                or (rules.on_open_renewal_opportunity and facts.has_open_renewal_opportunity)
            )
),

ranked_rules as (
    select
        account_id,
        date_day,
        stage,
        row_number() over (partition by account_id, date_day order by priority) as rule_rank
    from matching_rules
),

first_rule as (
    select
        account_id,
        date_day,
        stage
    from ranked_rules
    where rule_rank = 1
),

final as (
    select
        facts.account_id,
        facts.date_day,
        case when facts.is_churn_day then {{ churned_stage() }} else first_rule.stage end as lifecycle_stage,
        facts.customer_tier,
        facts.contract_type,
        case
            {%- for band, max_users in var('usage_bands').items() %}
                when coalesce(facts.count_active_users_window, 0) <= {{ max_users }} then '{{ band }}'
            {%- endfor %}
            else '{{ var("usage_band_above") }}'
        end as usage_band,
        facts.days_since_start,
        facts.days_until_renewal,
        facts.is_onboarded,
        facts.has_open_renewal_opportunity,
        facts.last_loaded_at,
        facts.account_fingerprint,
        {{ scoring_config_hash() }} as scoring_config_hash,
        facts.users_hash_to_date
    from renewal_dates as facts
    left join first_rule
        on facts.account_id = first_rule.account_id
            and facts.date_day = first_rule.date_day
)

select * from final
