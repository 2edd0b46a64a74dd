-- The benchmark's history floor: every account-day's composite health score over the whole
-- history, straight from the raw Parquet, outside dbt, in one script of plain statements (each
-- a temporary table DuckDB can spill). It does the same kind of work as the project's full
-- build, simplified:
--   * every raw table deduplicated by its newest `_loaded_at` (latest batch per key), soft
--     deletes and clock-skewed events dropped, test accounts out;
--   * identity: product users through their newest group call, billing customers through
--     their explicit CRM id, tickets through their organization's external id, survey
--     responses through their account id, each with the mail domain of the account's website
--     as the fallback (public and shared domains never link);
--   * an account-day spine from the customer start (or the first day with product data) to the
--     as-of day (the newest product event) or the customer's end;
--   * 15 windowed signals over the five dimensions, from sparse per-account-day facts turned
--     into running sums and rolling windows over the dense spine;
--   * linear scores between the thresholds of seeds/signal_thresholds.csv, a composite weighted
--     with the set of seeds/health_weights.csv in force for the account's stage (simplified
--     rule), tier and day, the weight of a missing signal re-spread over the present ones, the
--     band of seeds/health_bands.csv and the changes against 7 and 30 days before.
-- No peer percentiles, drivers, flags, quarantines or bookkeeping tables.
-- Placeholders in double curly braces are filled by python_checks/bench/history_floor.py.

-- ---------------------------------------------------------------- helpers
-- 0 at value_at_0, 100 at value_at_100, linear between, clamped; null stays null.
create temp macro linear_score(v, at_0, at_100) as
    case
        when v is null or at_0 is null then null
        when at_100 = at_0 then case when v >= at_100 then 100.0 else 0.0 end
        else 100.0 * least(1.0, greatest(0.0, (v - at_0) / (at_100 - at_0)))
    end;

-- A signal's weighted points and its weight, counted only when the signal has a score.
create temp macro signal_points(score, weight) as coalesce(weight * (score - 50), 0);

create temp macro signal_weight(score, weight) as
    case when score is not null then coalesce(weight, 0) else 0 end;

-- ---------------------------------------------------------------- CRM accounts and identity
create temp table known_accounts as
select
    cast(id as varchar) as account_id,
    cast(type as varchar) as account_type,
    coalesce(
        list_filter(
            {{ customer_tiers }}, lambda t: lower(t) = lower(trim(cast(customer_tier__c as varchar)))
        )[1],
        'Unknown'
    ) as customer_tier,
    lower(trim(cast(contract_type__c as varchar))) as contract_type,
    nullif(
        regexp_replace(
            regexp_replace(lower(trim(cast(website as varchar))), '^[a-z]+://', ''),
            '^www\.|[/:?#].*$', '', 'g'
        ),
        ''
    ) as website_domain,
    coalesce(cast(is_test__c as boolean), false)
    or coalesce(regexp_matches(cast(name as varchar), '{{ test_name_pattern }}'), false) as is_test
from read_parquet('{{ raw }}/crm/account/*.parquet', union_by_name = true, filename = true)
where id is not null
qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
    and not coalesce(cast(is_deleted as boolean), false);

-- A mail domain links to the one account whose website it is; public and shared domains never.
create temp table domains as
select website_domain as email_domain, min(account_id) as account_id
from known_accounts
where website_domain is not null and not list_contains({{ public_domains }}, website_domain)
group by website_domain
having count(distinct account_id) = 1;

create temp table customer_accounts as
with customers as (
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
)

select customers.customer_id, coalesce(explicit.account_id, domains.account_id) as account_id
from customers
left join known_accounts as explicit on customers.crm_account_id = explicit.account_id
left join domains on customers.email_domain = domains.email_domain
where not customers.is_deleted and coalesce(explicit.account_id, domains.account_id) is not null;

create temp table account_subscriptions as
with subscriptions as (
    select
        cast(id as varchar) as subscription_id,
        cast(customer_id as varchar) as customer_id,
        lower(trim(cast(status as varchar))) as status,
        lower(trim(cast(plan_interval as varchar))) as plan_interval,
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
)

select subscriptions.*, customer_accounts.account_id
from subscriptions
inner join customer_accounts on subscriptions.customer_id = customer_accounts.customer_id
where subscriptions.started_on is not null
    and coalesce(subscriptions.plan_amount >= 0 and subscriptions.quantity >= 0, true);

-- ---------------------------------------------------------------- product: users' active days
-- One row per product user and day with a believable event (deduplicated; not later than the
-- server received it plus a tolerance, not before a floor). Its own table: the deduplication
-- of the event stream is the largest sort, and spills best alone.
create temp table user_event_days as
with events as (
    select
        nullif(lower(trim(cast(user_id as varchar))), '') as user_email,
        lower(trim(cast(event as varchar))) as event_name,
        timezone('UTC', cast("timestamp" as timestamptz)) as event_at,
        timezone('UTC', cast(coalesce(received_at, _loaded_at) as timestamptz)) as received_at
    from read_parquet('{{ raw }}/product/tracks/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
)

select
    user_email,
    cast(event_at as date) as event_on,
    count(*) as events,
    count(*) filter (where event_name = 'login') as logins
from events
where user_email is not null
    and event_at is not null
    and event_at <= received_at + to_hours({{ future_tolerance_hours }})
    and event_at >= cast('{{ min_valid_date }}' as timestamp)
group by all;

-- The same, linked to the account of the user's newest group call, else of its mail domain.
create temp table user_days as
with group_calls as (
    select
        nullif(lower(trim(cast(user_id as varchar))), '') as user_email,
        nullif(trim(cast(group_id as varchar)), '') as account_id,
        timezone('UTC', cast("timestamp" as timestamptz)) as grouped_at,
        cast(id as varchar) as group_call_id
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

user_accounts as (
    select users.user_email, coalesce(explicit.account_id, domains.account_id) as account_id
    from (select distinct user_email from user_event_days) as users
    left join newest_group_calls on users.user_email = newest_group_calls.user_email
    left join known_accounts as explicit on newest_group_calls.account_id = explicit.account_id
    left join domains on split_part(users.user_email, '@', 2) = domains.email_domain
)

select user_accounts.account_id, daily.user_email, daily.event_on, daily.events, daily.logins
from user_event_days as daily
inner join user_accounts on daily.user_email = user_accounts.user_email
where user_accounts.account_id is not null;

-- ---------------------------------------------------------------- the accounts and their days
-- The as-of day is the newest product event; history starts at the first one.
create temp table scored_accounts as
with data_span as (
    select min(event_on) as data_start_on, max(event_on) as as_of_on from user_days
),

lifetimes as (
    select
        account_id,
        min(started_on) as customer_start_on,
        case when count(*) = count(ended_on) then max(ended_on) end as subscriptions_ended_on,
        max(current_period_end_on) as last_period_end_on
    from account_subscriptions
    group by account_id
),

spans as (
    select
        known_accounts.account_id,
        known_accounts.customer_tier,
        known_accounts.contract_type,
        lifetimes.customer_start_on,
        greatest(lifetimes.customer_start_on, data_span.data_start_on) as first_day,
        least(
            data_span.as_of_on,
            coalesce(
                lifetimes.subscriptions_ended_on,
                case when known_accounts.account_type = 'Former Customer' then lifetimes.last_period_end_on end,
                data_span.as_of_on
            )
        ) as last_day,
        data_span.as_of_on
    from known_accounts
    inner join lifetimes on known_accounts.account_id = lifetimes.account_id
    cross join data_span
    where not known_accounts.is_test
)

select * from spans where first_day <= last_day;

-- ---------------------------------------------------------------- sparse per-account-day facts
-- Each source adds counts and running-sum deltas on the day they happen (days before the
-- account's first scored day count on that day); the spine turns them into windows below.
-- One temporary table per source: as one query, the sources' windows and aggregates were held
-- in memory together and the statement ran out of memory_limit where each alone spills.
create temp table product_facts as
with product_users as (
    -- A user is active on the 30 days from each active day: +1 on the day, -1 when the window
    -- ends or the user's next active day starts a new one (so the windows never overlap).
    select
        user_days.account_id,
        greatest(user_days.event_on, scored_accounts.first_day) as day_on,
        sum(user_days.events) as events,
        max(user_days.logins) as logins
    from user_days
    inner join scored_accounts on user_days.account_id = scored_accounts.account_id
    where user_days.event_on <= scored_accounts.last_day
    group by all
),

user_windows as (
    select
        user_days.account_id,
        greatest(user_days.event_on, scored_accounts.first_day) as active_from,
        -- (least ignores a null: the last active day's window simply ends)
        least(
            lead(greatest(user_days.event_on, scored_accounts.first_day)) over (
                partition by user_days.account_id, user_days.user_email order by user_days.event_on
            ),
            user_days.event_on + {{ activity_window }}
        ) as active_until
    from user_days
    inner join scored_accounts on user_days.account_id = scored_accounts.account_id
    where user_days.event_on <= scored_accounts.last_day
),

-- Days before the first scored day clamp onto it; their windows may end before it.
user_deltas as (
    select account_id, active_from as day_on, 1 as active_user_delta
    from user_windows
    where active_until > active_from
    union all
    select account_id, active_until as day_on, -1 as active_user_delta
    from user_windows
    where active_until > active_from
)

-- One row per account-day (the user deltas summed), so the facts below stay small.
select account_id, day_on, sum(events) as events, max(logins) as logins,
    sum(active_user_delta) as active_user_delta
from (
    select * from product_users
    union all by name select * from user_deltas
)
group by account_id, day_on;

create temp table ticket_facts as
with organizations as (
    select
        cast(id as bigint) as organization_id,
        nullif(trim(cast(external_id as varchar)), '') as external_account_id
    from read_parquet('{{ raw }}/support/organization/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

tickets as (
    select
        cast(organization_id as bigint) as organization_id,
        nullif(split_part(nullif(lower(trim(cast(requester_email as varchar))), ''), '@', 2), '')
            as requester_domain,
        lower(trim(cast(priority as varchar))) in ('high', 'urgent') as is_urgent,
        cast(timezone('UTC', cast(created_at as timestamptz)) as date) as opened_on,
        cast(timezone('UTC', cast(solved_at as timestamptz)) as date) as solved_on,
        coalesce(cast(_fivetran_deleted as boolean), false)
        or coalesce(lower(trim(cast(status as varchar))) = 'deleted', false) as is_deleted
    from read_parquet('{{ raw }}/support/ticket/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

account_tickets as (
    select
        scored_accounts.account_id,
        greatest(tickets.opened_on, scored_accounts.first_day) as opened_on,
        case when tickets.solved_on is not null
            then greatest(tickets.solved_on, tickets.opened_on, scored_accounts.first_day)
        end as solved_on,
        tickets.is_urgent
    from tickets
    left join organizations on tickets.organization_id = organizations.organization_id
    left join known_accounts as org_accounts on organizations.external_account_id = org_accounts.account_id
    left join domains on tickets.requester_domain = domains.email_domain
    inner join scored_accounts
        on coalesce(org_accounts.account_id, domains.account_id) = scored_accounts.account_id
    where not tickets.is_deleted
        and tickets.opened_on is not null
        and tickets.opened_on <= scored_accounts.last_day
),

ticket_deltas as (
    select account_id, opened_on as day_on, 1 as tickets_opened, 1 as open_delta,
        case when is_urgent then 1 else 0 end as urgent_open_delta
    from account_tickets
    union all
    select account_id, solved_on as day_on, 0 as tickets_opened, -1 as open_delta,
        case when is_urgent then -1 else 0 end as urgent_open_delta
    from account_tickets
    where solved_on is not null
)

select * from ticket_deltas;

create temp table billing_facts as
-- Seats and monthly recurring revenue of the subscriptions running on a day.
with subscription_deltas as (
    select
        account_subscriptions.account_id,
        greatest(account_subscriptions.started_on, scored_accounts.first_day) as day_on,
        account_subscriptions.quantity as seats_delta,
        account_subscriptions.plan_amount * account_subscriptions.quantity
        / case when account_subscriptions.plan_interval = 'year' then 1200.0 else 100.0 end as mrr_delta
    from account_subscriptions
    inner join scored_accounts on account_subscriptions.account_id = scored_accounts.account_id
    where account_subscriptions.started_on <= scored_accounts.last_day
    union all
    select
        account_subscriptions.account_id,
        greatest(account_subscriptions.ended_on, scored_accounts.first_day) as day_on,
        -account_subscriptions.quantity as seats_delta,
        -account_subscriptions.plan_amount * account_subscriptions.quantity
        / case when account_subscriptions.plan_interval = 'year' then 1200.0 else 100.0 end as mrr_delta
    from account_subscriptions
    inner join scored_accounts on account_subscriptions.account_id = scored_accounts.account_id
    where account_subscriptions.ended_on is not null
        and account_subscriptions.ended_on <= scored_accounts.last_day
),

-- An invoice is overdue from the day after its due date until the day it is paid.
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

account_overdue as (
    select
        scored_accounts.account_id,
        greatest(invoices.due_on + 1, scored_accounts.first_day) as overdue_from,
        case when invoices.paid_on is not null then greatest(invoices.paid_on, scored_accounts.first_day) end
            as overdue_until
    from invoices
    inner join account_subscriptions on invoices.subscription_id = account_subscriptions.subscription_id
    inner join scored_accounts on account_subscriptions.account_id = scored_accounts.account_id
    where invoices.status not in ('draft', 'void')
        and coalesce(invoices.amount_due >= 0 and invoices.amount_paid >= 0, true)
        and invoices.due_on is not null
        and invoices.due_on + 1 <= scored_accounts.last_day
        and (invoices.paid_on is null or invoices.paid_on > invoices.due_on + 1)
),

overdue_deltas as (
    select account_id, overdue_from as day_on, 1 as overdue_delta from account_overdue
    union all
    select account_id, overdue_until as day_on, -1 as overdue_delta
    from account_overdue
    where overdue_until is not null
),

charges as (
    select
        cast(customer_id as varchar) as customer_id,
        lower(trim(cast(status as varchar))) as status,
        cast(timezone('UTC', cast(created as timestamptz)) as date) as charged_on
    from read_parquet('{{ raw }}/billing/charge/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

charge_facts as (
    select
        scored_accounts.account_id,
        greatest(charges.charged_on, scored_accounts.first_day) as day_on,
        count(*) as failed_charges
    from charges
    inner join customer_accounts on charges.customer_id = customer_accounts.customer_id
    inner join scored_accounts on customer_accounts.account_id = scored_accounts.account_id
    where charges.status = 'failed' and charges.charged_on <= scored_accounts.last_day
    group by all
)

select * from subscription_deltas
union all by name select * from overdue_deltas
union all by name select * from charge_facts;

create temp table crm_facts as
with tasks as (
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

touch_facts as (
    select
        scored_accounts.account_id,
        greatest(tasks.activity_on, scored_accounts.first_day) as day_on,
        count(*) as csm_touches
    from tasks
    inner join scored_accounts on tasks.account_id = scored_accounts.account_id
    where not tasks.is_deleted
        and tasks.task_status = 'completed'
        and list_contains({{ task_types }}, tasks.task_type)
        and tasks.activity_on <= scored_accounts.last_day
    group by all
),

health_inputs as (
    select
        cast(account_id as varchar) as account_id,
        lower(trim(cast(author_role__c as varchar))) as author_role,
        cast(rating__c as bigint) as rating,
        timezone('UTC', cast(created_date as timestamptz)) as created_at,
        coalesce(cast(is_deleted as boolean), false) as is_deleted
    from read_parquet('{{ raw }}/crm/health_input__c/*.parquet', union_by_name = true, filename = true)
    where id is not null
    qualify row_number() over (partition by id order by _loaded_at desc, filename desc) = 1
),

-- The CSM's newest rating of the day.
rating_facts as (
    select
        scored_accounts.account_id,
        greatest(cast(health_inputs.created_at as date), scored_accounts.first_day) as day_on,
        cast(arg_max(health_inputs.rating, health_inputs.created_at) as double) as csm_rating
    from health_inputs
    inner join scored_accounts on health_inputs.account_id = scored_accounts.account_id
    where not health_inputs.is_deleted
        and health_inputs.author_role = 'csm'
        and health_inputs.rating between 1 and 5
        and cast(health_inputs.created_at as date) <= scored_accounts.last_day
    group by all
)

select * from touch_facts
union all by name select * from rating_facts;

create temp table survey_day_facts as
with responses as (
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

survey_facts as (
    select
        scored_accounts.account_id,
        greatest(responses.submitted_on, scored_accounts.first_day) as day_on,
        count(*) filter (where responses.survey_type = 'nps' and responses.score between 0 and 10)
            as nps_responses,
        count(*) filter (where responses.survey_type = 'nps' and responses.score between 9 and 10)
            as nps_promoters,
        count(*) filter (where responses.survey_type = 'nps' and responses.score between 0 and 6)
            as nps_detractors,
        count(*) filter (where responses.survey_type = 'csat' and responses.score between 1 and 5)
            as csat_responses,
        coalesce(sum(responses.score) filter (
            where responses.survey_type = 'csat' and responses.score between 1 and 5
        ), 0) as csat_total
    from responses
    left join known_accounts as explicit on responses.account_id = explicit.account_id
    left join domains on responses.respondent_domain = domains.email_domain
    inner join scored_accounts
        on coalesce(explicit.account_id, domains.account_id) = scored_accounts.account_id
    where responses.submitted_on <= scored_accounts.last_day
    group by all
)

select * from survey_facts;

create temp table day_facts as
with every_fact as (
    select * from product_facts
    union all by name select * from ticket_facts
    union all by name select * from billing_facts
    union all by name select * from crm_facts
    union all by name select * from survey_day_facts
)

select
    account_id,
    day_on,
    sum(events) as events,
    max(logins) as logins,
    sum(active_user_delta) as active_user_delta,
    sum(tickets_opened) as tickets_opened,
    sum(open_delta) as open_delta,
    sum(urgent_open_delta) as urgent_open_delta,
    sum(seats_delta) as seats_delta,
    sum(mrr_delta) as mrr_delta,
    sum(overdue_delta) as overdue_delta,
    sum(failed_charges) as failed_charges,
    sum(csm_touches) as csm_touches,
    max(csm_rating) as csm_rating,
    sum(nps_responses) as nps_responses,
    sum(nps_promoters) as nps_promoters,
    sum(nps_detractors) as nps_detractors,
    sum(csat_responses) as csat_responses,
    sum(csat_total) as csat_total
from every_fact
group by account_id, day_on;

-- ---------------------------------------------------------------- the spine and its signals
-- One row per account and day; the spine is dense, so a frame of N rows is N days.
create temp table signals as
with spine as (
    select
        scored_accounts.account_id,
        scored_accounts.customer_tier,
        scored_accounts.contract_type,
        scored_accounts.customer_start_on,
        cast(unnest(generate_series(
            cast(scored_accounts.first_day as timestamp), cast(scored_accounts.last_day as timestamp), interval 1 day
        )) as date) as date_day
    from scored_accounts
),

running as (
    select
        spine.*,
        sum(coalesce(day_facts.active_user_delta, 0)) over running_total as active_users,
        sum(coalesce(day_facts.events, 0)) over activity_window as events_window,
        sum(coalesce(day_facts.events, 0)) over trend_window as events_recent,
        sum(coalesce(day_facts.events, 0)) over prior_trend_window as events_prior,
        count(*) over both_trend_windows = 2 * {{ trend_window }} as both_trend_windows_covered,
        max(case when day_facts.logins > 0 then spine.date_day end) over running_total as last_login_on,
        sum(coalesce(day_facts.tickets_opened, 0)) over activity_window as tickets_window,
        sum(coalesce(day_facts.open_delta, 0)) over running_total as open_tickets,
        sum(coalesce(day_facts.urgent_open_delta, 0)) over running_total as urgent_open_tickets,
        sum(coalesce(day_facts.seats_delta, 0)) over running_total as seats,
        sum(coalesce(day_facts.mrr_delta, 0)) over running_total as mrr,
        sum(coalesce(day_facts.mrr_delta, 0)) over running_total_before_trend as mrr_before,
        sum(coalesce(day_facts.overdue_delta, 0)) over running_total as overdue_invoices,
        sum(coalesce(day_facts.failed_charges, 0)) over trend_window as failed_charges,
        max(case when day_facts.csm_touches > 0 then spine.date_day end) over running_total as last_touch_on,
        sum(coalesce(day_facts.csm_touches, 0)) over activity_window as csm_touches,
        last_value(day_facts.csm_rating ignore nulls) over running_total as csm_rating,
        max(case when day_facts.csm_rating is not null then spine.date_day end) over running_total as rated_on,
        sum(coalesce(day_facts.nps_responses, 0)) over nps_window as nps_responses,
        sum(coalesce(day_facts.nps_promoters, 0)) over nps_window as nps_promoters,
        sum(coalesce(day_facts.nps_detractors, 0)) over nps_window as nps_detractors,
        sum(coalesce(day_facts.csat_responses, 0)) over survey_window as csat_responses,
        sum(coalesce(day_facts.csat_total, 0)) over survey_window as csat_total
    from spine
    left join day_facts on spine.account_id = day_facts.account_id and spine.date_day = day_facts.day_on
    window
        running_total as (partition by spine.account_id order by spine.date_day rows unbounded preceding),
        activity_window as (
            partition by spine.account_id order by spine.date_day
            rows between {{ activity_window }} - 1 preceding and current row
        ),
        trend_window as (
            partition by spine.account_id order by spine.date_day
            rows between {{ trend_window }} - 1 preceding and current row
        ),
        prior_trend_window as (
            partition by spine.account_id order by spine.date_day
            rows between 2 * {{ trend_window }} - 1 preceding and {{ trend_window }} preceding
        ),
        both_trend_windows as (
            partition by spine.account_id order by spine.date_day
            rows between 2 * {{ trend_window }} - 1 preceding and current row
        ),
        running_total_before_trend as (
            partition by spine.account_id order by spine.date_day
            rows between unbounded preceding and {{ trend_window }} preceding
        ),
        survey_window as (
            partition by spine.account_id order by spine.date_day
            rows between {{ survey_window }} - 1 preceding and current row
        ),
        nps_window as (
            partition by spine.account_id order by spine.date_day
            rows between {{ nps_window }} - 1 preceding and current row
        )
),

with_age as (
    select *, date_day - customer_start_on as days_since_start from running
)

select
    account_id,
    date_day,
    customer_tier,
    -- The simplified stage rule: renewal within the last days before an annual contract's
    -- anniversary, else onboarding and adoption by days since the start, else maturity.
    case
        when contract_type = 'annual' and days_since_start >= 365 - {{ renewal_days }}
            and 365 - days_since_start % 365 <= {{ renewal_days }} then 'renewal'
        when days_since_start < {{ onboarding_days }} then 'onboarding'
        when days_since_start < {{ adoption_days }} then 'adoption'
        else 'maturity'
    end as lifecycle_stage,
    -- product usage
    cast(date_day - coalesce(last_login_on, customer_start_on) as double) as days_since_last_login,
    cast(active_users as double) / nullif(seats, 0) as active_users_per_seat,
    case when active_users > 0 then cast(events_window as double) / active_users else 0 end
        as events_per_active_user,
    case when both_trend_windows_covered and events_prior > 0
        then cast(events_recent as double) / events_prior
    end as usage_trend,
    -- service
    cast(tickets_window as double) / nullif(seats, 0) as tickets_per_seat,
    cast(open_tickets as double) as open_tickets,
    cast(urgent_open_tickets as double) as urgent_open_tickets,
    -- financial
    cast(overdue_invoices as double) as overdue_invoices,
    cast(failed_charges as double) as failed_charges,
    case when mrr_before > 0 then mrr / mrr_before - 1 end as mrr_change,
    -- relationship
    cast(date_day - coalesce(last_touch_on, customer_start_on) as double) as days_since_csm_touch,
    cast(csm_touches as double) as csm_touches,
    -- human input: the newest CSM rating fades towards 3 with its age
    3 + (csm_rating - 3) * pow(0.5, (date_day - rated_on) / {{ rating_half_life }}) as csm_rating,
    case when nps_responses > 0
        then 100.0 * (nps_promoters - nps_detractors) / nps_responses
    end as nps,
    case when csat_responses > 0 then cast(csat_total as double) / csat_responses end as csat_score
from with_age;

-- ---------------------------------------------------------------- configuration, wide
-- Each stage's thresholds (its own row, else the 'all' row), one column pair per signal.
create temp table thresholds_wide as
with thresholds as (
    select
        signal_name,
        lifecycle_stage,
        cast(value_at_0 as double) as value_at_0,
        cast(value_at_100 as double) as value_at_100
    from read_csv('{{ thresholds_csv }}', header = true, all_varchar = true)
),

by_stage as (
    select
        stages.lifecycle_stage,
        base.signal_name,
        coalesce(own.value_at_0, base.value_at_0) as at_0,
        coalesce(own.value_at_100, base.value_at_100) as at_100
    from (select unnest({{ stages }}) as lifecycle_stage) as stages
    cross join (select * from thresholds where lifecycle_stage = 'all') as base
    left join thresholds as own
        on own.lifecycle_stage = stages.lifecycle_stage and own.signal_name = base.signal_name
)

pivot by_stage on signal_name in (
    'days_since_last_login', 'active_users_per_seat', 'events_per_active_user', 'usage_trend',
    'tickets_per_seat', 'open_tickets', 'urgent_open_tickets', 'overdue_invoices',
    'failed_charges', 'mrr_change', 'days_since_csm_touch', 'csm_touches',
    'csm_rating', 'nps', 'csat_score'
)
using first(at_0) as at_0, first(at_100) as at_100
group by lifecycle_stage;

-- The weight set in force per day, stage and customer tier: the tier's own newest set that has
-- started, else the default one; one weight column per signal.
create temp table weights_wide as
with weights as (
    select
        cast(effective_from as date) as effective_from,
        lifecycle_stage,
        customer_tier,
        signal_name,
        cast(weight as double) as weight
    from read_csv('{{ weights_csv }}', header = true, all_varchar = true)
),

weight_sets as (
    select distinct effective_from, lifecycle_stage, customer_tier from weights
),

days as (
    select cast(unnest(generate_series(
        cast(min(first_day) as timestamp), cast(max(last_day) as timestamp), interval 1 day
    )) as date) as date_day
    from scored_accounts
),

tiers as (
    select unnest(list_append({{ customer_tiers }}, 'Unknown')) as customer_tier
),

in_force as (
    select
        days.date_day,
        weight_sets.lifecycle_stage,
        tiers.customer_tier,
        arg_max(
            {'weights_tier': weight_sets.customer_tier, 'effective_from': weight_sets.effective_from},
            {'own': weight_sets.customer_tier = tiers.customer_tier, 'effective_from': weight_sets.effective_from}
        ) as chosen
    from days
    cross join tiers
    inner join weight_sets
        on weight_sets.effective_from <= days.date_day
        and weight_sets.customer_tier in (tiers.customer_tier, 'default')
    group by all
),

daily_weights as (
    select in_force.date_day, in_force.lifecycle_stage, in_force.customer_tier, weights.signal_name, weights.weight
    from in_force
    inner join weights
        on weights.lifecycle_stage = in_force.lifecycle_stage
        and weights.customer_tier = in_force.chosen.weights_tier
        and weights.effective_from = in_force.chosen.effective_from
)

pivot daily_weights on signal_name in (
    'days_since_last_login', 'active_users_per_seat', 'events_per_active_user', 'usage_trend',
    'tickets_per_seat', 'open_tickets', 'urgent_open_tickets', 'overdue_invoices',
    'failed_charges', 'mrr_change', 'days_since_csm_touch', 'csm_touches',
    'csm_rating', 'nps', 'csat_score'
)
using first(weight)
group by date_day, lifecycle_stage, customer_tier;

-- ---------------------------------------------------------------- scores, composite, band
create temp table scored as
with scores as (
    select
        signals.account_id,
        signals.date_day,
        signals.lifecycle_stage,
        linear_score(signals.days_since_last_login, t.days_since_last_login_at_0, t.days_since_last_login_at_100) as days_since_last_login,
        w.days_since_last_login as days_since_last_login_weight,
        linear_score(signals.active_users_per_seat, t.active_users_per_seat_at_0, t.active_users_per_seat_at_100) as active_users_per_seat,
        w.active_users_per_seat as active_users_per_seat_weight,
        linear_score(signals.events_per_active_user, t.events_per_active_user_at_0, t.events_per_active_user_at_100) as events_per_active_user,
        w.events_per_active_user as events_per_active_user_weight,
        linear_score(signals.usage_trend, t.usage_trend_at_0, t.usage_trend_at_100) as usage_trend,
        w.usage_trend as usage_trend_weight,
        linear_score(signals.tickets_per_seat, t.tickets_per_seat_at_0, t.tickets_per_seat_at_100) as tickets_per_seat,
        w.tickets_per_seat as tickets_per_seat_weight,
        linear_score(signals.open_tickets, t.open_tickets_at_0, t.open_tickets_at_100) as open_tickets,
        w.open_tickets as open_tickets_weight,
        linear_score(signals.urgent_open_tickets, t.urgent_open_tickets_at_0, t.urgent_open_tickets_at_100) as urgent_open_tickets,
        w.urgent_open_tickets as urgent_open_tickets_weight,
        linear_score(signals.overdue_invoices, t.overdue_invoices_at_0, t.overdue_invoices_at_100) as overdue_invoices,
        w.overdue_invoices as overdue_invoices_weight,
        linear_score(signals.failed_charges, t.failed_charges_at_0, t.failed_charges_at_100) as failed_charges,
        w.failed_charges as failed_charges_weight,
        linear_score(signals.mrr_change, t.mrr_change_at_0, t.mrr_change_at_100) as mrr_change,
        w.mrr_change as mrr_change_weight,
        linear_score(signals.days_since_csm_touch, t.days_since_csm_touch_at_0, t.days_since_csm_touch_at_100) as days_since_csm_touch,
        w.days_since_csm_touch as days_since_csm_touch_weight,
        linear_score(signals.csm_touches, t.csm_touches_at_0, t.csm_touches_at_100) as csm_touches,
        w.csm_touches as csm_touches_weight,
        linear_score(signals.csm_rating, t.csm_rating_at_0, t.csm_rating_at_100) as csm_rating,
        w.csm_rating as csm_rating_weight,
        linear_score(signals.nps, t.nps_at_0, t.nps_at_100) as nps,
        w.nps as nps_weight,
        linear_score(signals.csat_score, t.csat_score_at_0, t.csat_score_at_100) as csat_score,
        w.csat_score as csat_score_weight
    from signals
    inner join thresholds_wide as t on signals.lifecycle_stage = t.lifecycle_stage
    left join weights_wide as w
        on signals.date_day = w.date_day
        and signals.lifecycle_stage = w.lifecycle_stage
        and signals.customer_tier = w.customer_tier
)

select
    account_id,
    date_day,
    lifecycle_stage,
    round(coalesce(50 + (
            signal_points(days_since_last_login, days_since_last_login_weight)
            + signal_points(active_users_per_seat, active_users_per_seat_weight)
            + signal_points(events_per_active_user, events_per_active_user_weight)
            + signal_points(usage_trend, usage_trend_weight)
            + signal_points(tickets_per_seat, tickets_per_seat_weight)
            + signal_points(open_tickets, open_tickets_weight)
            + signal_points(urgent_open_tickets, urgent_open_tickets_weight)
            + signal_points(overdue_invoices, overdue_invoices_weight)
            + signal_points(failed_charges, failed_charges_weight)
            + signal_points(mrr_change, mrr_change_weight)
            + signal_points(days_since_csm_touch, days_since_csm_touch_weight)
            + signal_points(csm_touches, csm_touches_weight)
            + signal_points(csm_rating, csm_rating_weight)
            + signal_points(nps, nps_weight)
            + signal_points(csat_score, csat_score_weight)
        ) / nullif(
            signal_weight(days_since_last_login, days_since_last_login_weight)
            + signal_weight(active_users_per_seat, active_users_per_seat_weight)
            + signal_weight(events_per_active_user, events_per_active_user_weight)
            + signal_weight(usage_trend, usage_trend_weight)
            + signal_weight(tickets_per_seat, tickets_per_seat_weight)
            + signal_weight(open_tickets, open_tickets_weight)
            + signal_weight(urgent_open_tickets, urgent_open_tickets_weight)
            + signal_weight(overdue_invoices, overdue_invoices_weight)
            + signal_weight(failed_charges, failed_charges_weight)
            + signal_weight(mrr_change, mrr_change_weight)
            + signal_weight(days_since_csm_touch, days_since_csm_touch_weight)
            + signal_weight(csm_touches, csm_touches_weight)
            + signal_weight(csm_rating, csm_rating_weight)
            + signal_weight(nps, nps_weight)
            + signal_weight(csat_score, csat_score_weight)
        , 0), 50), 6) as health_score,
    (days_since_last_login is not null)::int
        + (active_users_per_seat is not null)::int
        + (events_per_active_user is not null)::int
        + (usage_trend is not null)::int
        + (tickets_per_seat is not null)::int
        + (open_tickets is not null)::int
        + (urgent_open_tickets is not null)::int
        + (overdue_invoices is not null)::int
        + (failed_charges is not null)::int
        + (mrr_change is not null)::int
        + (days_since_csm_touch is not null)::int
        + (csm_touches is not null)::int
        + (csm_rating is not null)::int
        + (nps is not null)::int
        + (csat_score is not null)::int
        as signals_scored
from scores;

-- ---------------------------------------------------------------- the result
copy (
    select
        scored.account_id,
        scored.date_day,
        scored.lifecycle_stage,
        scored.health_score,
        bands.band as health_band,
        scored.signals_scored,
        scored.health_score - lag(scored.health_score, 7) over account_days as score_change_7d,
        scored.health_score - lag(scored.health_score, 30) over account_days as score_change_30d
    from scored
    left join read_csv('{{ bands_csv }}', header = true, all_varchar = true) as bands
        on round(round(scored.health_score, 1)) between cast(bands.min_score as double) and cast(bands.max_score as double)
    window account_days as (partition by scored.account_id order by scored.date_day)
) to '{{ out }}' (format parquet, compression zstd);
