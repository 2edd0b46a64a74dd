-- How close is the vendor to each account: recent CSM touches, QBRs, an engaged executive
-- sponsor, and how many of the customer's people it talks to (contacts named by touches: engaged
-- contacts, an engaged executive, the champion's last touch)? One wide row per account-day with
-- the relationship signals' values and scores (macro score_signals), a same-day step from the CRM
-- facts of the day (int_account_crm_daily).
with crm as (
    select * from {{ ref('int_account_crm_daily') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

-- Only the days this run scores (macro in_run_days), as `crm`.
days as (
    select * from {{ ref('int_account_days') }}
    where {{ in_run_days('date_day') }}
        and {{ in_day_batch('date_day') }}
),

measures as (
    select
        crm.account_id,
        crm.date_day,
        coalesce({{ dbt.datediff('crm.last_touch_on', 'crm.date_day', 'day') }}, days.days_since_start)
            as days_since_csm_touch,
        crm.count_touches_window as csm_touches,
        coalesce({{ dbt.datediff('crm.last_qbr_on', 'crm.date_day', 'day') }}, days.days_since_start)
            as days_since_qbr,
        crm.is_exec_sponsor_engaged as exec_sponsor_engaged,
        'never_answered' as sponsor_missing_reason,
        crm.count_engaged_contacts as engaged_contacts,
        case when crm.count_engaged_executives > 0 then 1 else 0 end as exec_contact_engaged,
        {{ dbt.datediff('crm.last_champion_touch_on', 'crm.date_day', 'day') }}
            as days_since_champion_touch,
        'no_contact_touched' as champion_missing_reason
    from crm
    inner join days on crm.account_id = days.account_id and crm.date_day = days.date_day
),

final as (
    {{ score_signals('measures', {
        'days_since_csm_touch': none,
        'csm_touches': none,
        'days_since_qbr': none,
        'exec_sponsor_engaged': 'sponsor_missing_reason',
        'engaged_contacts': none,
        'exec_contact_engaged': none,
        'days_since_champion_touch': 'champion_missing_reason',
    }, 'relationship') }}
)

select * from final
