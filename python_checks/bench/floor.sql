-- The benchmark's floor: today's composite health score of every active customer, straight from
-- the raw Parquet in one script of two statements, outside dbt. It does the same kind of work as the project (every
-- raw table deduplicated by its newest `_loaded_at`, soft deletes and unusable rows dropped, test
-- accounts out, product users linked to accounts through their newest group call, billing
-- customers through their explicit CRM id, mail domains as the fallback), but only for the as-of
-- day: no history, no peer groups per day, no quarantine or bookkeeping tables, no e-mail hashing.
-- 13 representative signals over the last 30/90/180 days are scored linearly between the
-- thresholds of seeds/signal_thresholds.csv (blended with a peer percentile within tier where the
-- seed says so) and weighted with the weights of seeds/health_weights.csv for one lifecycle stage.
-- Placeholders in double curly braces are filled by python_checks/bench/floor.py (dbt_project.yml vars).

-- Statement 1: the product events, deduplicated and with skewed client clocks dropped (later
-- than the server received them, plus a tolerance, or before a floor). A temporary table,
-- because the query below reads it three times: as a common table expression DuckDB kept it
-- pinned in memory, and at 10,000 accounts the query ran out of its 3GB; a table can spill.
create temp table clean_events as
with

events_newest as (
    select
        cast(id as varchar) as event_id,
        nullif(lower(trim(cast(user_id as varchar))), '') as user_email,
        lower(trim(cast(event as varchar))) as event_name,
        timezone('UTC', cast("timestamp" as timestamptz)) as event_at,
        timezone('UTC', cast(received_at as timestamptz)) as received_at,
        timezone('UTC', cast(_loaded_at as timestamptz)) as loaded_at
    from read_parquet('{{ raw }}/product/tracks/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
)

select event_id, user_email, event_name, event_at
from events_newest
where event_at is not null
    and event_at <= coalesce(received_at, loaded_at) + to_hours({{ future_tolerance_hours }})
    and event_at >= cast('{{ min_valid_date }}' as timestamp);

-- Statement 2: the scores (floor.py stores them as the temporary table floor_scores).
with

-- ---------------------------------------------------------------- configuration (seeds)
thresholds as (
    select
        signal_name,
        lifecycle_stage,
        cast(value_at_0 as double) as value_at_0,
        cast(value_at_100 as double) as value_at_100,
        cast(peer_weight as double) as peer_weight
    from read_csv('{{ thresholds_csv }}', header = true, all_varchar = true)
),

weights_seed as (
    select
        cast(effective_from as date) as effective_from,
        lifecycle_stage,
        customer_tier,
        signal_name,
        cast(weight as double) as weight
    from read_csv('{{ weights_csv }}', header = true, all_varchar = true)
    where lifecycle_stage = '{{ weights_stage }}'
),

event_areas as (
    select event_name, feature_area, cast(is_login as boolean) as is_login
    from read_csv('{{ areas_csv }}', header = true, all_varchar = true)
),

-- ---------------------------------------------------------------- CRM accounts
accounts_newest as (
    select
        cast(id as varchar) as account_id,
        cast(type as varchar) as account_type,
        coalesce(
            list_filter({{ customer_tiers }}, lambda t: lower(t) = lower(trim(cast(customer_tier__c as varchar))))[1],
            'Unknown'
        ) as customer_tier,
        nullif(
            regexp_replace(
                regexp_replace(lower(trim(cast(website as varchar))), '^[a-z]+://', ''),
                '^www\.|[/:?#].*$', '', 'g'
            ),
            ''
        ) as website_domain,
        coalesce(cast(is_test__c as boolean), false)
        or coalesce(regexp_matches(cast(name as varchar), '{{ test_name_pattern }}'), false) as is_test,
        coalesce(cast(is_deleted as boolean), false) as is_deleted
    from read_parquet('{{ raw }}/crm/account/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

known_accounts as (
    select * from accounts_newest where not is_deleted
),

-- A mail domain links to the one account whose website it is; public and shared domains never.
domains as (
    select website_domain as email_domain, min(account_id) as account_id
    from known_accounts
    where website_domain is not null and not list_contains({{ public_domains }}, website_domain)
    group by website_domain
    having count(distinct account_id) = 1
),

-- ---------------------------------------------------------------- billing: who pays, since when
customers as (
    select
        cast(id as varchar) as customer_id,
        case when json_valid(cast(metadata as varchar))
                then nullif(trim(json_extract_string(cast(metadata as varchar), '$.crm_account_id')), '')
        end as crm_account_id,
        nullif(split_part(nullif(lower(trim(cast(email as varchar))), ''), '@', 2), '') as email_domain,
        coalesce(cast(is_deleted as boolean), false) as is_deleted
    from read_parquet('{{ raw }}/billing/customer/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

customer_accounts as (
    select customers.customer_id, coalesce(explicit.account_id, domains.account_id) as account_id
    from customers
    left join known_accounts as explicit on customers.crm_account_id = explicit.account_id
    left join domains on customers.email_domain = domains.email_domain
    where not customers.is_deleted
),

subscriptions as (
    select
        cast(id as varchar) as subscription_id,
        cast(customer_id as varchar) as customer_id,
        lower(trim(cast(status as varchar))) as status,
        cast(quantity as bigint) as quantity,
        cast(plan_amount as bigint) as plan_amount,
        cast(timezone('UTC', cast(coalesce(start_date, created) as timestamptz)) as date) as started_on,
        cast(timezone('UTC', cast(current_period_end as timestamptz)) as date) as current_period_end_on,
        cast(
            timezone('UTC', cast(
                coalesce(ended_at, case when lower(trim(cast(status as varchar))) = 'canceled' then canceled_at end)
                as timestamptz))
            as date
        ) as ended_on
    from read_parquet('{{ raw }}/billing/subscription/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

account_subscriptions as (
    select subscriptions.*, customer_accounts.account_id
    from subscriptions
    inner join customer_accounts on subscriptions.customer_id = customer_accounts.customer_id
    where customer_accounts.account_id is not null
        and coalesce(subscriptions.plan_amount >= 0 and subscriptions.quantity >= 0, true)
),

lifetimes as (
    select
        account_id,
        min(started_on) as customer_start_on,
        case when count(*) = count(ended_on) then max(ended_on) end as subscriptions_ended_on,
        max(current_period_end_on) as last_period_end_on,
        sum(case when ended_on is null then quantity else 0 end) as count_seats
    from account_subscriptions
    where started_on is not null
    group by account_id
),

-- ---------------------------------------------------------------- the as-of day
as_of as (
    select cast(max(event_at) as date) as as_of_on from clean_events
),

-- Customers on the as-of day: started, and not churned before it.
scored_accounts as (
    select
        known_accounts.account_id,
        known_accounts.customer_tier,
        lifetimes.customer_start_on,
        lifetimes.count_seats,
        as_of.as_of_on
    from known_accounts
    inner join lifetimes on known_accounts.account_id = lifetimes.account_id
    cross join as_of
    where not known_accounts.is_test
        and lifetimes.customer_start_on <= as_of.as_of_on
        and coalesce(
            lifetimes.subscriptions_ended_on,
            case when known_accounts.account_type = 'Former Customer' then lifetimes.last_period_end_on end,
            as_of.as_of_on
        ) >= as_of.as_of_on
),

group_calls as (
    select
        cast(id as varchar) as group_call_id,
        nullif(lower(trim(cast(user_id as varchar))), '') as user_email,
        nullif(trim(cast(group_id as varchar)), '') as account_id,
        timezone('UTC', cast("timestamp" as timestamptz)) as grouped_at
    from read_parquet('{{ raw }}/product/groups/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

newest_group_calls as (
    select user_email, account_id
    from group_calls
    where user_email is not null and account_id is not null
    qualify row_number() over (partition by user_email order by grouped_at desc, group_call_id desc) = 1
),

-- A product user belongs to the account of its newest group call, else to its mail domain's.
user_accounts as (
    select users.user_email, coalesce(explicit.account_id, domains.account_id) as account_id
    from (select distinct user_email from clean_events where user_email is not null) as users
    left join newest_group_calls on users.user_email = newest_group_calls.user_email
    left join known_accounts as explicit on newest_group_calls.account_id = explicit.account_id
    left join domains on split_part(users.user_email, '@', 2) = domains.email_domain
),

-- Events before the customer start count on the start day.
account_events as (
    select
        scored_accounts.account_id,
        clean_events.user_email,
        greatest(cast(clean_events.event_at as date), scored_accounts.customer_start_on) as event_on,
        event_areas.feature_area,
        coalesce(event_areas.is_login, false) as is_login
    from clean_events
    inner join user_accounts on clean_events.user_email = user_accounts.user_email
    inner join scored_accounts on user_accounts.account_id = scored_accounts.account_id
    left join event_areas on clean_events.event_name = event_areas.event_name
    where cast(clean_events.event_at as date) <= scored_accounts.as_of_on
),

product as (
    select
        account_events.account_id,
        max(event_on) filter (where is_login) as last_login_on,
        count(distinct user_email) filter (where event_on > as_of_on - {{ activity_window }}) as active_users,
        count(*) filter (where event_on > as_of_on - {{ activity_window }}) as events_window,
        count(*) filter (where event_on > as_of_on - {{ trend_window }}) as events_recent,
        count(*) filter (
            where event_on <= as_of_on - {{ trend_window }} and event_on > as_of_on - 2 * {{ trend_window }}
        ) as events_prior,
        count(distinct feature_area) filter (
            where list_contains({{ feature_areas }}, feature_area) and event_on > as_of_on - {{ activity_window }}
        ) as areas_window,
        count(distinct feature_area) filter (where list_contains({{ feature_areas }}, feature_area))
            as areas_ever
    from account_events
    inner join scored_accounts on account_events.account_id = scored_accounts.account_id
    group by account_events.account_id
),

-- ---------------------------------------------------------------- support tickets
organizations as (
    select
        cast(id as bigint) as organization_id,
        nullif(trim(cast(external_id as varchar)), '') as external_account_id
    from read_parquet('{{ raw }}/support/organization/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

tickets_newest as (
    select
        cast(id as bigint) as ticket_id,
        cast(organization_id as bigint) as organization_id,
        nullif(split_part(nullif(lower(trim(cast(requester_email as varchar))), ''), '@', 2), '')
            as requester_domain,
        lower(trim(cast(priority as varchar))) as priority,
        timezone('UTC', cast(created_at as timestamptz)) as created_at,
        timezone('UTC', cast(solved_at as timestamptz)) as solved_at,
        coalesce(cast(_fivetran_deleted as boolean), false)
        or coalesce(lower(trim(cast(status as varchar))) = 'deleted', false) as is_deleted
    from read_parquet('{{ raw }}/support/ticket/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

account_tickets as (
    select
        scored_accounts.account_id,
        greatest(cast(tickets_newest.created_at as date), scored_accounts.customer_start_on) as opened_on,
        greatest(cast(tickets_newest.solved_at as date), scored_accounts.customer_start_on) as solved_on,
        tickets_newest.priority in ('high', 'urgent') as is_urgent
    from tickets_newest
    left join organizations on tickets_newest.organization_id = organizations.organization_id
    left join known_accounts as org_accounts on organizations.external_account_id = org_accounts.account_id
    left join domains on tickets_newest.requester_domain = domains.email_domain
    inner join scored_accounts
        on coalesce(org_accounts.account_id, domains.account_id) = scored_accounts.account_id
    where not tickets_newest.is_deleted and tickets_newest.created_at is not null
),

service as (
    select
        account_tickets.account_id,
        count(*) filter (
            where opened_on <= as_of_on and opened_on > as_of_on - {{ activity_window }}
        ) as tickets_window,
        count(*) filter (
            where opened_on <= as_of_on and (solved_on is null or solved_on > as_of_on)
        ) as open_tickets,
        count(*) filter (
            where is_urgent and opened_on <= as_of_on and (solved_on is null or solved_on > as_of_on)
        ) as urgent_open_tickets
    from account_tickets
    inner join scored_accounts on account_tickets.account_id = scored_accounts.account_id
    group by account_tickets.account_id
),

-- ---------------------------------------------------------------- invoices
invoices as (
    select
        cast(subscription_id as varchar) as subscription_id,
        lower(trim(cast(status as varchar))) as status,
        cast(amount_due as bigint) as amount_due,
        cast(amount_paid as bigint) as amount_paid,
        cast(timezone('UTC', cast(due_date as timestamptz)) as date) as due_on,
        cast(timezone('UTC', cast(paid_at as timestamptz)) as date) as paid_on
    from read_parquet('{{ raw }}/billing/invoice/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

financial as (
    select
        account_subscriptions.account_id,
        count(*) filter (
            where invoices.due_on < scored_accounts.as_of_on
                and (invoices.paid_on is null or invoices.paid_on > scored_accounts.as_of_on)
        ) as overdue_invoices
    from invoices
    inner join account_subscriptions on invoices.subscription_id = account_subscriptions.subscription_id
    inner join scored_accounts on account_subscriptions.account_id = scored_accounts.account_id
    where invoices.status not in ('draft', 'void')
        and coalesce(invoices.amount_due >= 0 and invoices.amount_paid >= 0, true)
    group by account_subscriptions.account_id
),

-- ---------------------------------------------------------------- CSM touches
tasks as (
    select
        cast(account_id as varchar) as account_id,
        lower(trim(cast(type as varchar))) as task_type,
        lower(trim(cast(status as varchar))) as task_status,
        cast(activity_date as date) as activity_on,
        coalesce(cast(is_deleted as boolean), false) as is_deleted
    from read_parquet('{{ raw }}/crm/task/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

relationship as (
    select
        scored_accounts.account_id,
        max(greatest(tasks.activity_on, scored_accounts.customer_start_on)) as last_touch_on,
        count(*) filter (
            where greatest(tasks.activity_on, scored_accounts.customer_start_on)
                > scored_accounts.as_of_on - {{ activity_window }}
        ) as csm_touches
    from tasks
    inner join scored_accounts on tasks.account_id = scored_accounts.account_id
    where not tasks.is_deleted
        and tasks.task_status = 'completed'
        and list_contains({{ task_types }}, tasks.task_type)
        and tasks.activity_on <= scored_accounts.as_of_on
    group by scored_accounts.account_id
),

-- ---------------------------------------------------------------- NPS
responses as (
    select
        nullif(trim(cast(account_id as varchar)), '') as account_id,
        nullif(split_part(nullif(lower(trim(cast(respondent_email as varchar))), ''), '@', 2), '')
            as respondent_domain,
        lower(trim(cast(survey as varchar))) as survey_type,
        cast(score as bigint) as score,
        cast(timezone('UTC', cast(submitted_at as timestamptz)) as date) as submitted_on
    from read_parquet('{{ raw }}/survey/response/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

human_input as (
    select
        scored_accounts.account_id,
        100.0 * (count(*) filter (where responses.score >= 9) - count(*) filter (where responses.score <= 6))
        / count(*) as nps
    from responses
    left join known_accounts as explicit on responses.account_id = explicit.account_id
    left join domains on responses.respondent_domain = domains.email_domain
    inner join scored_accounts
        on coalesce(explicit.account_id, domains.account_id) = scored_accounts.account_id
    where responses.survey_type = 'nps'
        and responses.score between 0 and 10
        and responses.submitted_on <= scored_accounts.as_of_on
        and responses.submitted_on > scored_accounts.as_of_on - {{ nps_window }}
    group by scored_accounts.account_id
),

-- ---------------------------------------------------------------- signals, scores, composite
measures as (
    select
        scored_accounts.account_id,
        scored_accounts.customer_tier,
        cast(
            scored_accounts.as_of_on - coalesce(product.last_login_on, scored_accounts.customer_start_on)
            as double
        ) as days_since_last_login,
        cast(coalesce(product.active_users, 0) as double) / nullif(scored_accounts.count_seats, 0)
            as active_users_per_seat,
        case when coalesce(product.active_users, 0) > 0
            then cast(product.events_window as double) / product.active_users
            else 0
        end as events_per_active_user,
        case when scored_accounts.as_of_on - scored_accounts.customer_start_on >= 2 * {{ trend_window }}
                and product.events_prior > 0
            then cast(product.events_recent as double) / product.events_prior
        end as usage_trend,
        cast(coalesce(product.areas_window, 0) as double) as feature_breadth,
        cast(len({{ feature_areas }}) - coalesce(product.areas_ever, 0) as double) as feature_areas_never_used,
        cast(coalesce(service.tickets_window, 0) as double) / nullif(scored_accounts.count_seats, 0)
            as tickets_per_seat,
        cast(coalesce(service.open_tickets, 0) as double) as open_tickets,
        cast(coalesce(service.urgent_open_tickets, 0) as double) as urgent_open_tickets,
        cast(coalesce(financial.overdue_invoices, 0) as double) as overdue_invoices,
        cast(
            scored_accounts.as_of_on - coalesce(relationship.last_touch_on, scored_accounts.customer_start_on)
            as double
        ) as days_since_csm_touch,
        cast(coalesce(relationship.csm_touches, 0) as double) as csm_touches,
        cast(human_input.nps as double) as nps
    from scored_accounts
    left join product on scored_accounts.account_id = product.account_id
    left join service on scored_accounts.account_id = service.account_id
    left join financial on scored_accounts.account_id = financial.account_id
    left join relationship on scored_accounts.account_id = relationship.account_id
    left join human_input on scored_accounts.account_id = human_input.account_id
),

-- One row per account and present signal (UNPIVOT leaves out nulls: a missing signal's weight
-- is re-spread over the present ones).
signal_values as (
    unpivot measures
    on days_since_last_login, active_users_per_seat, events_per_active_user, usage_trend,
        feature_breadth, feature_areas_never_used, tickets_per_seat, open_tickets,
        urgent_open_tickets, overdue_invoices, days_since_csm_touch, csm_touches, nps
    into name signal_name value signal_value
),

signal_thresholds as (
    select
        signal_name,
        coalesce(stage.value_at_0, base.value_at_0) as value_at_0,
        coalesce(stage.value_at_100, base.value_at_100) as value_at_100,
        coalesce(stage.peer_weight, base.peer_weight, 0) as peer_weight
    from (select * from thresholds where lifecycle_stage = 'all') as base
    left join (select * from thresholds where lifecycle_stage = '{{ weights_stage }}') as stage
        using (signal_name)
),

scored as (
    select
        signal_values.account_id,
        signal_values.signal_name,
        case
            when signal_thresholds.value_at_100 = signal_thresholds.value_at_0
                then case when signal_value >= signal_thresholds.value_at_100 then 100.0 else 0.0 end
            else 100.0 * least(1.0, greatest(0.0,
                (signal_value - signal_thresholds.value_at_0)
                / (signal_thresholds.value_at_100 - signal_thresholds.value_at_0)
            ))
        end as score_absolute,
        case when count(*) over peers >= {{ min_peer_group_size }}
            then 100.0 * percent_rank() over (
                peers order by signal_value * sign(signal_thresholds.value_at_100 - signal_thresholds.value_at_0)
            )
        end as score_peer,
        signal_thresholds.peer_weight
    from signal_values
    inner join signal_thresholds on signal_values.signal_name = signal_thresholds.signal_name
    window peers as (partition by signal_values.signal_name, signal_values.customer_tier)
),

-- The weight set in force on the as-of day: the account's tier's own set, else the default set.
weight_sets as (
    select weights_seed.customer_tier as weights_tier, max(weights_seed.effective_from) as effective_from
    from weights_seed
    cross join as_of
    where weights_seed.effective_from <= as_of.as_of_on
    group by weights_seed.customer_tier
),

account_weight_sets as (
    select scored_accounts.account_id, weight_sets.weights_tier, weight_sets.effective_from
    from scored_accounts
    inner join weight_sets on weight_sets.weights_tier in (scored_accounts.customer_tier, 'default')
    qualify row_number() over (
        partition by scored_accounts.account_id
        order by case when weight_sets.weights_tier = 'default' then 1 else 0 end
    ) = 1
),

weighted as (
    select
        scored.account_id,
        weights_seed.weight,
        case when scored.score_peer is null then scored.score_absolute
            else (1 - scored.peer_weight) * scored.score_absolute + scored.peer_weight * scored.score_peer
        end as score
    from scored
    inner join account_weight_sets on scored.account_id = account_weight_sets.account_id
    inner join weights_seed
        on account_weight_sets.weights_tier = weights_seed.customer_tier
        and account_weight_sets.effective_from = weights_seed.effective_from
        and scored.signal_name = weights_seed.signal_name
    where weights_seed.weight > 0
),

composite as (
    select
        account_id,
        50 + sum(weight * (score - 50)) / sum(weight) as health_score,
        count(*) as signals_scored
    from weighted
    group by account_id
)

select
    scored_accounts.account_id,
    scored_accounts.as_of_on,
    scored_accounts.customer_tier,
    coalesce(composite.health_score, 50.0) as health_score,
    coalesce(composite.signals_scored, 0) as signals_scored
from scored_accounts
left join composite on scored_accounts.account_id = composite.account_id
order by scored_accounts.account_id
