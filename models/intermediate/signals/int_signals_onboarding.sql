-- Has each account reached its onboarding milestones by each day, and how fast? One row per
-- account-day per onboarding signal. Milestones count only once reached (point-in-time).
with days as (
    select * from {{ ref('int_account_days') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

milestones as (
    select * from {{ ref('int_account_onboarding_milestones') }}
),

measures as (
    select
        days.account_id,
        days.date_day,
        case when milestones.first_message_sent_on <= days.date_day then 1 else 0 end
            as has_first_message_sent,
        case when milestones.first_meeting_scheduled_on <= days.date_day then 1 else 0 end
            as has_first_meeting_scheduled,
        case when milestones.contacts_target_met_on <= days.date_day then 1 else 0 end
            as has_contacts_target_met,
        case when milestones.first_integration_connected_on <= days.date_day then 1 else 0 end
            as has_integration_connected,
        case
            when milestones.first_message_sent_on <= days.date_day then milestones.days_to_first_value
            else days.days_since_start
        end as days_to_first_value
    from days
    left join milestones on days.account_id = milestones.account_id
),

final as (
    {{ score_signals('measures', {
        'has_first_message_sent': none,
        'has_first_meeting_scheduled': none,
        'has_contacts_target_met': none,
        'has_integration_connected': none,
        'days_to_first_value': none,
    }, 'onboarding') }}
)

select * from final
