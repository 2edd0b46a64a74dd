-- When did each customer reach its onboarding milestones? One row per account: the day of each
-- milestone (null until reached) and the day all were met. The contacts milestone counts only
-- within the first var onboarding_contacts_window_days days.
with accounts as (
    select * from {{ ref('int_accounts') }}
),

activity as (
    select * from {{ ref('int_account_daily_activity') }}
),

-- Read twice below (see inlined_cte).
account_activity as {{ inlined_cte() }}(
    select
        accounts.account_id,
        accounts.customer_start_on,
        activity.activity_on,
        activity.count_message_sent,
        activity.count_meeting_scheduled,
        activity.count_contact_connected,
        activity.count_integration_connected
    from accounts
    inner join activity on accounts.account_id = activity.account_id
),

-- The contacts connected so far on each day of the contacts window (activity before the start
-- counts): only the window's days are read in order, not every day of the history.
contacts_to_date as (
    select
        account_id,
        activity_on,
        sum(count_contact_connected) over (
            partition by account_id order by activity_on rows unbounded preceding
        ) as count_contacts_connected_to_date
    from account_activity
    where activity_on < customer_start_on + {{ var('onboarding_contacts_window_days') }}
),

contacts_milestone as (
    select
        account_id,
        min(activity_on) as contacts_target_met_on
    from contacts_to_date
    where count_contacts_connected_to_date >= {{ var('onboarding_contacts_target') }}
    group by account_id
),

milestones as (
    select
        account_id,
        min(case when count_message_sent > 0 then activity_on end) as first_message_sent_on,
        min(case when count_meeting_scheduled > 0 then activity_on end) as first_meeting_scheduled_on,
        min(case when count_integration_connected > 0 then activity_on end) as first_integration_connected_on
    from account_activity
    group by account_id
),

final as (
    select
        accounts.account_id,
        milestones.first_message_sent_on,
        milestones.first_meeting_scheduled_on,
        contacts_milestone.contacts_target_met_on,
        milestones.first_integration_connected_on,
        -- All milestones met: the day of the last one; null while any is missing.
        case
            when milestones.first_message_sent_on is not null
                and milestones.first_meeting_scheduled_on is not null
                and contacts_milestone.contacts_target_met_on is not null
                and milestones.first_integration_connected_on is not null
                then {{ greatest_ignore_nulls(
                        'milestones.first_message_sent_on',
                        'milestones.first_meeting_scheduled_on',
                        'contacts_milestone.contacts_target_met_on',
                        'milestones.first_integration_connected_on'
                    ) }}
        end as onboarded_on,
        -- Days to first value: from the customer start to the first message sent.
        {{ dbt.datediff('accounts.customer_start_on', 'milestones.first_message_sent_on', 'day') }}
            as days_to_first_value
    from accounts
    left join milestones on accounts.account_id = milestones.account_id
    left join contacts_milestone on accounts.account_id = contacts_milestone.account_id
)

select * from final
